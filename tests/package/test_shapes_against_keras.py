"""The pure-Python shapes module agrees with layers Keras really builds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstm_outputs import CONFIGS, parameter_count, returned_tensors
from lstm_outputs.models import build_layer, symbolic_shapes

sizes = st.integers(min_value=1, max_value=24)
optional_sizes = st.none() | st.integers(min_value=1, max_value=12)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
@given(units=sizes, timesteps=optional_sizes, features=sizes, batch=optional_sizes)
def test_lstm_shapes_match_keras(config, units, timesteps, features, batch):
    flags = dict(return_sequences=config.return_sequences, return_state=config.return_state)
    predicted = returned_tensors(units, timesteps, batch=batch, **flags)
    assert symbolic_shapes(units, timesteps, features, batch=batch, **flags) == tuple(
        t.shape for t in predicted
    )
    assert tuple(t.name for t in predicted) == config.returned_names


@pytest.mark.parametrize("layer", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("bidirectional", [False, True])
@given(
    units=sizes,
    timesteps=optional_sizes,
    features=sizes,
    return_sequences=st.booleans(),
    return_state=st.booleans(),
    merge_mode=st.sampled_from(["concat", "sum", "mul", "ave", None]),
)
def test_other_layers_match_keras(
    layer, bidirectional, units, timesteps, features, return_sequences, return_state, merge_mode
):
    options = dict(
        return_sequences=return_sequences,
        return_state=return_state,
        layer=layer,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
    )
    predicted = returned_tensors(units, timesteps, **options)
    assert symbolic_shapes(units, timesteps, features, **options) == tuple(
        t.shape for t in predicted
    )


@pytest.mark.parametrize("layer", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("bidirectional", [False, True])
@given(units=sizes, features=sizes)
def test_parameter_formula_matches_count_params(layer, bidirectional, units, features):
    built = build_layer(units, layer=layer, bidirectional=bidirectional)
    built.build((None, 3, features))
    assert built.count_params() == parameter_count(
        units, features, layer=layer, bidirectional=bidirectional
    )


@given(units=sizes, features=sizes)
def test_gru_without_reset_after(keras, units, features):
    gru = keras.layers.GRU(units, reset_after=False)
    gru.build((None, 3, features))
    assert gru.count_params() == parameter_count(units, features, layer="GRU", reset_after=False)


def test_bidirectional_state_order_with_merge_mode_none():
    names = [
        t.name for t in returned_tensors(3, return_state=True, bidirectional=True, merge_mode=None)
    ]
    assert names == [
        "forward_last_hidden",
        "backward_last_hidden",
        "forward_h",
        "forward_c",
        "backward_h",
        "backward_c",
    ]
