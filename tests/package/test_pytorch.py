"""The NumPy-only PyTorch conversion: round trips, layouts and shapes (no torch needed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstm_outputs.pytorch import keras_to_pytorch, pytorch_output_shapes, pytorch_to_keras
from lstm_outputs.reference import lstm_forward


def _weights(rng, features, units):
    return (
        rng.normal(size=(features, 4 * units)).astype("float32"),
        rng.normal(size=(units, 4 * units)).astype("float32"),
        rng.normal(size=4 * units).astype("float32"),
    )


@given(features=st.integers(1, 8), units=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_round_trip_is_exact(features, units, seed):
    keras_weights = _weights(np.random.default_rng(seed), features, units)
    back = pytorch_to_keras(keras_to_pytorch(*keras_weights))
    for original, returned in zip(keras_weights, back, strict=True):
        np.testing.assert_array_equal(original, returned)


def test_pytorch_equations_on_converted_weights_match_reference():
    """PyTorch's documented equations, written in NumPy, on the converted weights."""
    rng = np.random.default_rng(3)
    kernel, recurrent, bias = _weights(rng, 5, 3)
    x = rng.normal(size=(2, 6, 5)).astype("float32")
    w = keras_to_pytorch(kernel, recurrent, bias)
    h = c = np.zeros((2, 3))
    for t in range(x.shape[1]):
        gates = x[:, t] @ w["weight_ih_l0"].T + w["bias_ih_l0"]
        gates = gates + h @ w["weight_hh_l0"].T + w["bias_hh_l0"]
        i, f, g, o = np.split(gates, 4, axis=-1)  # PyTorch's order
        c = 1 / (1 + np.exp(-f)) * c + 1 / (1 + np.exp(-i)) * np.tanh(g)
        h = 1 / (1 + np.exp(-o)) * np.tanh(c)
    expected = lstm_forward(x, kernel, recurrent, bias)
    np.testing.assert_allclose(h, expected.last_hidden, atol=1e-6)
    np.testing.assert_allclose(c, expected.last_cell, atol=1e-6)


def test_biases_are_summed():
    w = keras_to_pytorch(np.zeros((2, 4)), np.zeros((1, 4)), np.zeros(4))
    w["bias_ih_l0"] = np.array([1.0, 2, 3, 4])
    w["bias_hh_l0"] = np.array([0.5, 0.5, 0.5, 0.5])
    assert pytorch_to_keras(w)[2].tolist() == [1.5, 2.5, 3.5, 4.5]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ((np.zeros((2, 3)), np.zeros((1, 4)), np.zeros(4)), "kernel must have shape"),
        ((np.zeros((2, 4)), np.zeros((2, 4)), np.zeros(4)), "recurrent_kernel must have shape"),
        ((np.zeros((2, 4)), np.zeros((1, 4)), np.zeros(3)), "bias must have shape"),
    ],
)
def test_bad_keras_weights(bad, message):
    with pytest.raises(ValueError, match=message):
        keras_to_pytorch(*bad)


def test_bad_pytorch_weights():
    w = keras_to_pytorch(np.zeros((2, 4)), np.zeros((1, 4)), np.zeros(4))
    w["weight_hh_l0"] = np.zeros((4, 2))
    with pytest.raises(ValueError, match="weight_hh must have shape"):
        pytorch_to_keras(w)


def test_output_shapes_reject_bad_sizes():
    with pytest.raises(ValueError, match="num_layers"):
        pytorch_output_shapes(4, 3, 2, num_layers=0)
