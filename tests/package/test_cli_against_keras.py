"""``lstm-outputs --json`` against layers real Keras builds, on a small fixed grid of every form.

The package's own predictions are cross-checked in test_shapes_against_keras.py and
test_family_shapes.py; this checks what the command makes of its arguments: the layer it
names, the input it describes, the nesting of its tensors and its parameter count.
"""

from __future__ import annotations

import json

import pytest

from lstm_outputs.cli import main

CHEAP = {"kernel_initializer": "zeros", "recurrent_initializer": "zeros"}


def answer(capsys, argv: list[str]) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def shapes(value: dict) -> list:
    return [
        [tuple(t["shape"]) for t in item] if isinstance(item, list) else tuple(item["shape"])
        for item in value["tensors"]
    ]


def keras_shapes(result) -> list:
    items = result if isinstance(result, tuple) else (result,)
    return [
        [tuple(t.shape) for t in item] if isinstance(item, list) else tuple(item.shape)
        for item in items
    ]


FLAGS = {
    "": {},
    "--return-sequences --return-state": {"return_sequences": True, "return_state": True},
}
# (layer, spatial, kernel, options as typed, as Keras takes them)
CONV_GRID = [
    ("convlstm1d", [9], [3], "--padding valid --strides 2", {"strides": 2}),
    ("ConvLSTM2D", [8, 8], [3], "--padding same --strides 2", {"padding": "same", "strides": 2}),
    ("ConvLSTM2D", [8, 7], [3, 1], "--data-format channels_first",
     {"data_format": "channels_first"}),
    ("ConvLSTM3D", [4, 5, 6], [3], "--dilation-rate 2 --padding same",
     {"dilation_rate": 2, "padding": "same"}),
]  # fmt: skip


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize(("layer", "spatial", "kernel", "typed", "options"), CONV_GRID)
def test_conv_lstm_answer_matches_keras(keras, capsys, layer, spatial, kernel, typed, options,
                                        flags):  # fmt: skip
    argv = ["--layer", layer, "--units", "3", "--features", "2", "--timesteps", "4",
            "--spatial", *map(str, spatial), "--kernel-size", *map(str, kernel),
            *typed.split(), *flags.split()]  # fmt: skip
    value = answer(capsys, argv)
    built = getattr(keras.layers, value["call"].split("(")[0])(
        3, tuple(kernel) if len(kernel) > 1 else kernel[0], **options, **FLAGS[flags], **CHEAP
    )
    result = built(keras.Input(tuple(value["input"][1:])))
    assert shapes(value) == keras_shapes(result)
    assert value["parameters"] == built.count_params()


CELLS_GRID = ["4", "16,32", "3,4,5"]


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize("kind", ["LSTM", "gru", "SimpleRNN"])
@pytest.mark.parametrize("cells", CELLS_GRID)
def test_cells_answer_matches_keras(keras, capsys, cells, kind, flags):
    argv = ["--cells", cells, "--layer", kind, "--timesteps", "4", "--features", "10"]
    value = answer(capsys, [*argv, *flags.split()])
    cell = {"lstm": keras.layers.LSTMCell, "gru": keras.layers.GRUCell}.get(
        kind.lower(), keras.layers.SimpleRNNCell
    )
    layer = keras.layers.RNN([cell(int(units)) for units in cells.split(",")], **FLAGS[flags])
    result = layer(keras.Input((4, 10)))
    assert shapes(value) == keras_shapes(result)
    assert value["parameters"] == layer.count_params()


RECURRENT_GRID = {
    "--layer lstm --return-state": lambda L: L.LSTM(16, return_state=True),
    "--layer GRU --no-reset-after --return-sequences": lambda L: L.GRU(
        16, reset_after=False, return_sequences=True
    ),
    "--layer simplernn --return-state": lambda L: L.SimpleRNN(16, return_state=True),
    "--bidirectional --merge-mode none --return-state": lambda L: L.Bidirectional(
        L.LSTM(16, return_state=True), merge_mode=None
    ),
}


@pytest.mark.parametrize("typed", RECURRENT_GRID)
def test_recurrent_answer_matches_keras(keras, capsys, typed):
    value = answer(capsys, ["--units", "16", "--timesteps", "4", "--features", "10",
                            *typed.split()])  # fmt: skip
    layer = RECURRENT_GRID[typed](keras.layers)
    result = layer(keras.Input((4, 10)))
    assert shapes(value) == keras_shapes(result)
    assert value["parameters"] == layer.count_params()


REJECTED = [
    ("ConvLSTM2D", [8, 2], "--kernel-size 3", {}),  # larger than the frame, valid padding
    ("ConvLSTM1D", [9], "--kernel-size 3 --strides 2 --dilation-rate 2",
     {"strides": 2, "dilation_rate": 2}),
]  # fmt: skip


@pytest.mark.parametrize(("layer", "spatial", "typed", "options"), REJECTED)
def test_what_the_command_rejects_keras_rejects(keras, capsys, layer, spatial, typed, options):
    argv = ["--layer", layer, "--units", "3", "--features", "2", "--spatial",
            *map(str, spatial), *typed.split()]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1

    def build():
        getattr(keras.layers, layer)(3, 3, **options, **CHEAP)(keras.Input((4, *spatial, 2)))

    with pytest.raises(ValueError):  # noqa: PT011 - Keras's own messages vary by release
        build()
