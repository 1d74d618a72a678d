"""The package's ConvLSTM and ``RNN(cells)`` predictions agree with layers Keras builds.

Hypothesis generates 300 ConvLSTM and 200 ``RNN`` configurations (500 in all), each built
symbolically on a ``keras.Input``; zero initialisers keep each build cheap.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_outputs.shapes import (
    conv_lstm_parameter_count,
    conv_lstm_tensors,
    conv_output_length,
    nested_shapes,
    rnn_parameter_count,
    rnn_tensors,
)

CHEAP = {"kernel_initializer": "zeros", "recurrent_initializer": "zeros"}
flags = st.fixed_dictionaries({"return_sequences": st.booleans(), "return_state": st.booleans()})


def keras_shapes(result):
    """Keras's returned tensors as shapes, a cell's list of states as a list."""
    items = result if isinstance(result, tuple) else (result,)
    return tuple(
        [tuple(t.shape) for t in item] if isinstance(item, list) else tuple(item.shape)
        for item in items
    )


@st.composite
def conv_lstm_configs(draw):
    rank = draw(st.integers(1, 3))
    spatial = tuple(draw(st.lists(st.integers(1, 9 if rank < 3 else 5), min_size=rank,
                                  max_size=rank)))  # fmt: skip
    dilated = draw(st.booleans())
    per_axis = st.integers(1, 3)
    strides = 1 if dilated else draw(per_axis | st.tuples(*[per_axis] * rank))
    dilation = draw(per_axis | st.tuples(*[per_axis] * rank)) if dilated else 1
    return dict(
        filters=draw(st.integers(1, 4)),
        spatial=spatial,
        channels=draw(st.integers(1, 3)),
        kernel_size=draw(st.integers(1, 4) | st.tuples(*[st.integers(1, 4)] * rank)),
        timesteps=draw(st.none() | st.integers(1, 4)),
        strides=strides,
        dilation_rate=dilation,
        padding=draw(st.sampled_from(["valid", "same"])),
        data_format=draw(st.sampled_from(["channels_last", "channels_first"])),
        **draw(flags),
    )


def build_conv_lstm(keras, config):
    rank = len(config["spatial"])
    frame = (*config["spatial"], config["channels"])
    if config["data_format"] == "channels_first":
        frame = (config["channels"], *config["spatial"])
    options = {k: config[k] for k in ("strides", "dilation_rate", "padding", "data_format")}
    layer = getattr(keras.layers, f"ConvLSTM{rank}D")(
        config["filters"],
        config["kernel_size"],
        return_sequences=config["return_sequences"],
        return_state=config["return_state"],
        **options,
        **CHEAP,
    )
    return layer, layer(keras.Input((config["timesteps"], *frame)))


@settings(max_examples=300)
@given(config=conv_lstm_configs())
def test_conv_lstm_matches_keras(keras, config):
    try:
        predicted = conv_lstm_tensors(**config)
    except ValueError as error:
        refused = str(error)
    else:
        refused = None
    if refused is not None:
        # The package refuses only what Keras refuses: a kernel wider than the frame.
        assert "is larger than the input" in refused
        with pytest.raises(ValueError, match="zero or negative"):
            build_conv_lstm(keras, config)
        return
    layer, result = build_conv_lstm(keras, config)
    assert keras_shapes(result) == tuple(t.shape for t in predicted)
    rank = len(config["spatial"])
    assert layer.count_params() == conv_lstm_parameter_count(
        config["filters"], config["channels"], config["kernel_size"], rank=rank
    )


@st.composite
def rnn_configs(draw):
    kinds = st.sampled_from(["LSTM", "GRU", "SimpleRNN"])
    cells = draw(st.lists(st.tuples(kinds, st.integers(1, 8)), min_size=1, max_size=3))
    form = draw(st.sampled_from(["cell", "list", "StackedRNNCells"]))
    return dict(
        cells=cells[0] if form == "cell" else cells,
        wrap=form == "StackedRNNCells",
        features=draw(st.integers(1, 5)),
        timesteps=draw(st.none() | st.integers(1, 4)),
        **draw(flags),
    )


def build_rnn(keras, config):
    def make(kind, units):
        return getattr(keras.layers, f"{kind}Cell")(units, **CHEAP)

    cells = config["cells"]
    if isinstance(cells, list):
        cell = [make(*c) for c in cells]
        cell = keras.layers.StackedRNNCells(cell) if config["wrap"] else cell
    else:
        cell = make(*cells)
    layer = keras.layers.RNN(
        cell, return_sequences=config["return_sequences"], return_state=config["return_state"]
    )
    return layer, layer(keras.Input((config["timesteps"], config["features"])))


@settings(max_examples=200)
@given(config=rnn_configs())
def test_rnn_with_cells_matches_keras(keras, config):
    layer, result = build_rnn(keras, config)
    flags = {k: config[k] for k in ("return_sequences", "return_state")}
    cells = config["cells"]
    predicted = rnn_tensors(cells, config["timesteps"], **flags)
    assert keras_shapes(result) == nested_shapes(predicted)
    assert layer.count_params() == rnn_parameter_count(cells, config["features"])


def test_conv_output_length_unknown_stays_unknown():
    assert conv_output_length(None, 3, strides=2) is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: conv_lstm_tensors(0, (8,), 3, kernel_size=3), "filters must be a positive"),
        (lambda: conv_lstm_tensors(4, (8, 8), 3, kernel_size=(3,)), "kernel_size must be"),
        (lambda: conv_lstm_tensors(4, (8, None), 3, kernel_size=3), "spatial sizes must be known"),
        (lambda: conv_lstm_tensors(4, (), 3, kernel_size=3), "spatial must be 1 to 3 sizes"),
        (lambda: conv_lstm_tensors(4, (8,), 3, kernel_size=3, padding="full"), "padding must be"),
        (
            lambda: conv_lstm_tensors(4, (8,), 3, kernel_size=3, strides=2, dilation_rate=2),
            "strides > 1 cannot be combined with dilation_rate > 1",
        ),
        (lambda: conv_lstm_tensors(4, (8,), 3, kernel_size=9), "kernel_size 9"),
        (
            lambda: conv_lstm_tensors(4, (8,), 3, kernel_size=3, data_format="NHWC"),
            "data_format must be",
        ),
        (lambda: rnn_tensors([]), "cells must not be an empty list"),
        (lambda: rnn_tensors([16, 2.5]), "cells must be an integer"),
        (lambda: rnn_tensors([("LSTMCell", 4)]), "cell must be one of"),
        (lambda: rnn_parameter_count([4], 0), "features must be a positive"),
    ],
)
def test_bad_input_names_the_argument_in_one_line(call, message):
    with pytest.raises((ValueError, TypeError), match=message) as error:
        call()
    assert "\n" not in str(error.value)
