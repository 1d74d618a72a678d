"""The NumPy reference reproduces Keras's LSTM, and the classic tutorials' numbers still hold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstm_outputs import CONFIGS, parameter_count
from lstm_outputs.models import build_layer, run_layer
from lstm_outputs.reference import lstm_forward, lstm_forward_from_layer


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
@given(
    units=st.integers(1, 12),
    timesteps=st.integers(1, 10),
    features=st.integers(1, 12),
    batch=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_reference_matches_keras_with_random_weights(
    config, units, timesteps, features, batch, seed
):
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(batch, timesteps, features)).astype("float32")
    weights = [
        rng.normal(scale=0.5, size=(features, 4 * units)),
        rng.normal(scale=0.5, size=(units, 4 * units)),
        rng.normal(scale=0.5, size=(4 * units,)),
    ]
    layer = build_layer(
        units, return_sequences=config.return_sequences, return_state=config.return_state
    )
    layer.build((None, timesteps, features))
    layer.set_weights([w.astype("float32") for w in weights])
    result = layer(inputs)
    keras_outputs = [np.asarray(t) for t in (result if isinstance(result, tuple) else (result,))]

    expected = lstm_forward(inputs, *weights)
    by_name = {
        "sequence": expected.sequence,
        "last_hidden": expected.last_hidden,
        "state_h": expected.last_hidden,
        "state_c": expected.last_cell,
    }
    assert len(keras_outputs) == len(config.returned_names)
    for name, keras_value in zip(config.returned_names, keras_outputs, strict=True):
        np.testing.assert_allclose(keras_value, by_name[name], atol=1e-6, rtol=0, err_msg=name)


def test_reference_from_layer_matches_keras():
    inputs = np.random.default_rng(0).normal(size=(3, 6, 5)).astype("float32")
    outputs = run_layer(inputs, 7, return_sequences=True, return_state=True, seed=3)
    layer = build_layer(7, seed=3)
    layer.build((None, 6, 5))
    expected = lstm_forward_from_layer(layer, inputs)
    np.testing.assert_allclose(outputs["sequence"], expected.sequence, atol=1e-6)
    np.testing.assert_allclose(outputs["state_c"], expected.last_cell, atol=1e-6)


def test_reference_refuses_a_layer_it_does_not_model(keras):
    layer = keras.layers.LSTM(2, activation="relu")
    layer.build((None, 3, 2))
    with pytest.raises(ValueError, match="activation='tanh'"):
        lstm_forward_from_layer(layer, np.zeros((1, 3, 2)))


CONSTANT_TUTORIAL_INPUT = np.array([0.1, 0.2, 0.3, 0.1, 0.2, 0.3]).reshape((1, 3, 2))


def constant_tutorial_layer(keras, **flags):
    """The constant-initialiser tutorial's layer: one unit, Constant(0.1) kernels."""
    return keras.layers.LSTM(
        1,
        kernel_initializer=keras.initializers.Constant(0.1),
        recurrent_initializer=keras.initializers.Constant(0.1),
        bias_initializer=keras.initializers.Constant(0),
        **flags,
    )


def test_constant_tutorial_sequence(keras):
    inputs = keras.Input(shape=(3, 2))
    model = keras.Model(inputs, constant_tutorial_layer(keras, return_sequences=True)(inputs))
    output = model.predict(CONSTANT_TUTORIAL_INPUT, verbose=0)
    assert output.shape == (1, 3, 1)
    np.testing.assert_allclose(output[0, :, 0], [0.00772376, 0.01633997, 0.02572775], atol=5e-9)


def test_constant_tutorial_states(keras):
    inputs = keras.Input(shape=(3, 2))
    lstm1, state_h, state_c = constant_tutorial_layer(keras, return_state=True)(inputs)
    model = keras.Model(inputs, [lstm1, state_h, state_c])
    output, h, c = model.predict(CONSTANT_TUTORIAL_INPUT, verbose=0)
    assert output.shape == h.shape == c.shape == (1, 1)
    np.testing.assert_allclose(output, [[0.02572775]], atol=5e-9)
    np.testing.assert_array_equal(output, h)
    np.testing.assert_allclose(c, [[0.05020291]], atol=5e-9)


def test_constant_tutorial_layer_has_16_parameters(keras):
    layer = constant_tutorial_layer(keras)
    layer.build((None, 3, 2))
    assert layer.count_params() == parameter_count(1, 2) == 16


def test_running_example_layer_has_1728_parameters(keras):
    layer = keras.layers.LSTM(16)
    layer.build((None, 4, 10))
    assert layer.count_params() == parameter_count(16, 10) == 1728
