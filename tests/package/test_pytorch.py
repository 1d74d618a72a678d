"""The NumPy-only PyTorch conversion: round trips, layouts and shapes (no torch needed)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstm_outputs.pytorch import (
    KERAS_TO_PYTORCH,
    PYTORCH_TO_KERAS,
    keras_to_pytorch,
    pytorch_cell_shapes,
    pytorch_output_shapes,
    pytorch_to_keras,
)
from lstm_outputs.pytorch_stacks import (
    StateDictLayout,
    keras_layers_to_pytorch,
    pytorch_to_keras_layers,
    state_dict_layout,
)
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
    with pytest.raises(ValueError, match=r"^weight_hh_l0 must have shape \(4, 1\), got \(4, 2\)$"):
        pytorch_to_keras(w)


def test_output_shapes_reject_bad_sizes():
    with pytest.raises(ValueError, match="num_layers"):
        pytorch_output_shapes(4, 3, 2, num_layers=0)


# --- proj_size, unbatched input, cells ------------------------------------------------------


def test_proj_size_narrows_output_and_h_n_only():
    shapes = pytorch_output_shapes(16, 4, 100, num_layers=2, bidirectional=True, proj_size=3)
    assert shapes == {"output": (4, 100, 6), "h_n": (4, 100, 3), "c_n": (4, 100, 16)}


def test_unbatched_input_has_no_batch_axis_and_ignores_batch_first():
    for batch_first in (False, True):
        shapes = pytorch_output_shapes(5, 7, None, num_layers=3, batch_first=batch_first)
        assert shapes == {"output": (7, 5), "h_n": (3, 5), "c_n": (3, 5)}


def test_batch_first_moves_only_the_output_batch_axis():
    first = pytorch_output_shapes(5, 7, 2, batch_first=True, num_layers=2)
    second = pytorch_output_shapes(5, 7, 2, batch_first=False, num_layers=2)
    assert first["output"] == (2, 7, 5)
    assert second["output"] == (7, 2, 5)
    assert first["h_n"] == second["h_n"] == (2, 2, 5)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"proj_size": 5}, re.escape("proj_size must be smaller than hidden_size (5), got 5")),
        ({"proj_size": -1}, "^proj_size must be a non-negative integer"),
        ({"batch": 0}, "^batch must be a positive integer"),
    ],
)
def test_bad_shape_arguments_name_the_argument(arguments, message):
    with pytest.raises(ValueError, match=message):
        pytorch_output_shapes(5, 3, **{"batch": 2, **arguments})


def test_cell_shapes():
    assert pytorch_cell_shapes(4, 2) == {"h": (2, 4), "c": (2, 4)}
    assert pytorch_cell_shapes(4, None, layer="GRU") == {"h": (4,)}
    with pytest.raises(ValueError, match=r"^layer must be one of"):
        pytorch_cell_shapes(4, 2, layer="SimpleRNN")


# --- one direction: GRU and SimpleRNN both ways -----------------------------------------------

GATES = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}


def _keras_weights(rng, kind, features, units):
    gates = GATES[kind]
    bias_shape = (2, 3 * units) if kind == "GRU" else (gates * units,)
    return (
        rng.normal(size=(features, gates * units)).astype("float32"),
        rng.normal(size=(units, gates * units)).astype("float32"),
        rng.normal(size=bias_shape).astype("float32"),
    )


@given(
    kind=st.sampled_from(sorted(GATES)),
    features=st.integers(1, 6),
    units=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
def test_every_kind_round_trips_exactly(kind, features, units, seed):
    weights = _keras_weights(np.random.default_rng(seed), kind, features, units)
    back = PYTORCH_TO_KERAS[kind](KERAS_TO_PYTORCH[kind](*weights))
    for original, returned in zip(weights, back, strict=True):
        np.testing.assert_array_equal(original, returned)


# --- whole state dicts: layers and directions -------------------------------------------------


def _state_dict(rng, kind, num_layers, bidirectional, features, units):
    state = {}
    directions = 2 if bidirectional else 1
    for k in range(num_layers):
        inputs = features if k == 0 else directions * units
        for suffix in ("", "_reverse")[:directions]:
            weights = _keras_weights(rng, kind, inputs, units)
            state |= KERAS_TO_PYTORCH[kind](*weights, suffix=f"l{k}{suffix}")
    return state


@given(
    kind=st.sampled_from(sorted(GATES)),
    num_layers=st.integers(1, 3),
    bidirectional=st.booleans(),
    features=st.integers(1, 5),
    units=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_state_dict_round_trips_through_keras_layouts(
    kind, num_layers, bidirectional, features, units, seed
):
    state = _state_dict(np.random.default_rng(seed), kind, num_layers, bidirectional,
                        features, units)  # fmt: skip
    layout = state_dict_layout(state, layer=kind)
    assert layout == StateDictLayout(num_layers, bidirectional)
    assert sorted(layout.keys) == sorted(state)
    per_layer = pytorch_to_keras_layers(state, layer=kind)
    assert [len(w) for w in per_layer] == [3 * (1 + bidirectional)] * num_layers
    again = {}
    for k, weights in enumerate(per_layer):
        for d, suffix in enumerate(("", "_reverse")[: 1 + bidirectional]):
            again |= KERAS_TO_PYTORCH[kind](*weights[3 * d : 3 * d + 3], suffix=f"l{k}{suffix}")
    if kind == "GRU":  # both biases survive: a GRU needs them apart
        assert sorted(again) == sorted(state)
        for key, value in state.items():
            np.testing.assert_array_equal(again[key], value)
    for key in state:
        if key.startswith("weight"):
            np.testing.assert_array_equal(again[key], state[key])


def _lstm_stack(rng):
    return _state_dict(rng, "LSTM", 2, True, 3, 4)


@pytest.mark.parametrize(
    ("edit", "error", "message"),
    [
        (lambda s: s.pop("bias_hh_l1_reverse"), KeyError,
         ("state_dict has no 'bias_hh_l1_reverse' (an nn.LSTM with num_layers=2, "
          "bidirectional=True has 16 entries)")),
        (lambda s: s.update({"fc.weight": np.zeros(2)}), ValueError,
         "state_dict has an unexpected key 'fc.weight'"),
        (lambda s: s.update({"weight_hr_l1": np.zeros((2, 4))}), ValueError,
         "state_dict has 'weight_hr_l1': an nn.LSTM with proj_size > 0"),
        (lambda s: s.update({"weight_hh_l1": np.zeros((16, 3))}), ValueError,
         "weight_hh_l1 must have shape (16, 4), got (16, 3)"),
        (lambda s: s.update({"weight_ih_l1": np.zeros((16, 4))}), ValueError,
         ("weight_ih_l1 must have shape (16, 8) (layer 1 reads layer 0's 8 values per step), "
          "got (16, 4)")),
        (lambda s: s.update({"bias_ih_l0_reverse": np.zeros(15)}), ValueError,
         "bias_ih_l0_reverse must have shape (16,), got (15,)"),
    ],
    ids=["missing", "extra", "proj_size", "units", "layer input", "bias"],
)  # fmt: skip
def test_bad_state_dict_names_the_key(edit, error, message):
    state = _lstm_stack(np.random.default_rng(0))
    edit(state)
    with pytest.raises(error) as raised:
        pytorch_to_keras_layers(state)
    text = raised.value.args[0]
    assert text.startswith(message), text
    assert "\n" not in text


def test_prefix_picks_one_module_of_a_model():
    state = _lstm_stack(np.random.default_rng(1))
    model = {f"encoder.lstm.{k}": v for k, v in state.items()} | {"head.weight": np.zeros(3)}
    from_model = pytorch_to_keras_layers(model, prefix="encoder.lstm.")
    for mine, theirs in zip(from_model, pytorch_to_keras_layers(state), strict=True):
        for a, b in zip(mine, theirs, strict=True):
            np.testing.assert_array_equal(a, b)
    with pytest.raises(KeyError, match=re.escape("no key starting with prefix 'decoder.'")):
        pytorch_to_keras_layers(model, prefix="decoder.")
    with pytest.raises(ValueError, match=re.escape("unexpected key 'encoder.lstm.weight_ih_l0'")):
        pytorch_to_keras_layers(model)


def test_empty_state_dict_and_bad_layer_kind():
    with pytest.raises(KeyError, match=r"^'state_dict is empty"):
        pytorch_to_keras_layers({})
    with pytest.raises(ValueError, match=r"^layer must be one of"):
        pytorch_to_keras_layers(_lstm_stack(np.random.default_rng(2)), layer="RNN")


# --- Keras layers in ---------------------------------------------------------------------------


def _built(keras, layers, features=3, timesteps=5):
    keras.Sequential([keras.Input((timesteps, features)), *layers])
    return layers


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("bidirectional", [False, True])
def test_keras_stack_to_state_dict_and_back(keras, kind, bidirectional):
    def make():
        layer = getattr(keras.layers, kind)(4, return_sequences=True)
        return keras.layers.Bidirectional(layer) if bidirectional else layer

    stack = _built(keras, [make(), make()])
    state = keras_layers_to_pytorch(stack)
    assert state_dict_layout(state, layer=kind) == StateDictLayout(2, bidirectional)
    for layer, weights in zip(stack, pytorch_to_keras_layers(state, layer=kind), strict=True):
        for original, back in zip(layer.get_weights(), weights, strict=True):
            np.testing.assert_array_equal(original, back)
    # One layer need not be in a list.
    assert sorted(keras_layers_to_pytorch(stack[0])) == sorted(k for k in state if "_l0" in k)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda k: [k.layers.LSTM(4, activation="relu")],
         ("layers[0] (LSTM) has activation='relu': nn.LSTM computes LSTM only with "
          "activation='tanh'")),
        (lambda k: [k.layers.GRU(4, reset_after=False)],
         "layers[0] (GRU) has reset_after=False"),
        (lambda k: [k.layers.LSTM(4, use_bias=False)], "layers[0] (LSTM) has use_bias=False"),
        (lambda k: [k.layers.LSTM(4, return_sequences=True), k.layers.LSTM(5)],
         "layers[1] (LSTM) is LSTM(5), layers[0] LSTM(4): one nn.LSTM has one layer kind"),
        (lambda k: [k.layers.Bidirectional(k.layers.LSTM(4, return_sequences=True),
                                           merge_mode="sum"),
                    k.layers.Bidirectional(k.layers.LSTM(4))],
         "layers[0] (Bidirectional) has merge_mode='sum'"),
        (lambda k: [k.layers.Dense(4)], "layers[0] (Dense) is not an LSTM, GRU or SimpleRNN"),
        (lambda k: [], "layers is empty"),
    ],
    ids=["activation", "reset_after", "use_bias", "units", "merge_mode", "dense", "empty"],
)  # fmt: skip
def test_keras_layers_without_a_pytorch_module_are_refused(keras, make, message):
    layers = make(keras)
    if layers:
        _built(keras, layers)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}"):
        keras_layers_to_pytorch(layers)
