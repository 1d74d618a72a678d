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


# A fixed grid of the recurrent family (the generated configurations are in
# test_family_shapes.py): every ConvLSTM rank, padding and data format, with strides and
# dilation, and RNN over one cell, a list of cells and StackedRNNCells.
SPATIAL = {"ConvLSTM1D": (9,), "ConvLSTM2D": (8, 7), "ConvLSTM3D": (5, 6, 7)}
CONV_GRID = [
    (layer, padding, data_format, steps)
    for layer in SPATIAL
    for padding in ("valid", "same")
    for data_format in ("channels_last", "channels_first")
    for steps in ({"strides": 2}, {"dilation_rate": 2})
]


@pytest.mark.parametrize(("layer", "padding", "data_format", "steps"), CONV_GRID)
def test_conv_lstm_grid_matches_keras(keras, layer, padding, data_format, steps):
    from lstm_outputs.shapes import conv_lstm_parameter_count, conv_lstm_tensors

    spatial, channels, filters = SPATIAL[layer], 2, 3
    frame = (*spatial, channels) if data_format == "channels_last" else (channels, *spatial)
    options = dict(padding=padding, data_format=data_format, **steps)
    built = getattr(keras.layers, layer)(
        filters, 3, return_sequences=True, return_state=True, **options
    )
    result = built(keras.Input((None, *frame)))
    predicted = conv_lstm_tensors(
        filters, spatial, channels, kernel_size=3, layer=layer,
        return_sequences=True, return_state=True, **options,
    )  # fmt: skip
    assert [tuple(t.shape) for t in result] == [t.shape for t in predicted]
    assert built.count_params() == conv_lstm_parameter_count(
        filters, channels, 3, rank=len(spatial)
    )


RNN_GRID = {
    "LSTMCell": (lambda L: L.LSTMCell(4), 4),
    "GRUCell": (lambda L: L.GRUCell(4), ("GRU", 4)),
    "[LSTMCell, LSTMCell]": (lambda L: [L.LSTMCell(16), L.LSTMCell(32)], [16, 32]),
    "[LSTMCell]": (lambda L: [L.LSTMCell(5)], [5]),
    "[SimpleRNNCell, GRUCell, LSTMCell]": (
        lambda L: [L.SimpleRNNCell(3), L.GRUCell(4), L.LSTMCell(5)],
        [("SimpleRNN", 3), ("GRU", 4), 5],
    ),
    "StackedRNNCells": (
        lambda L: L.StackedRNNCells([L.LSTMCell(6), L.GRUCell(2)]),
        [6, ("GRU", 2)],
    ),
}


@pytest.mark.parametrize("name", RNN_GRID)
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_rnn_with_cells_grid_matches_keras(keras, name, config):
    from lstm_outputs.shapes import nested_shapes, rnn_parameter_count, rnn_tensors

    make, cells = RNN_GRID[name]
    flags = dict(return_sequences=config.return_sequences, return_state=config.return_state)
    layer = keras.layers.RNN(make(keras.layers), **flags)
    result = layer(keras.Input((4, 10)))
    result = result if isinstance(result, tuple) else (result,)
    built = tuple(
        [tuple(s.shape) for s in item] if isinstance(item, list) else tuple(item.shape)
        for item in result
    )
    assert built == nested_shapes(rnn_tensors(cells, 4, **flags))
    assert layer.count_params() == rnn_parameter_count(cells, 10)
