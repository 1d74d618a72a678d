"""The lstm-outputs command answers from the shapes module, without TensorFlow."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from lstm_outputs.cli import main

EXAMPLE = ["--units", "16", "--timesteps", "4", "--features", "10"]


def test_both_flags_print_three_tensors_with_meanings(capsys):
    assert main([*EXAMPLE, "--return-sequences", "--return-state"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "LSTM(16, return_sequences=True, return_state=True) on input (None, 4, 10) "
        "returns a tuple of 3 tensors:"
    )
    assert lines[1].split()[:4] == ["sequence", "(None,", "4,", "16)"]
    assert lines[2].split()[:3] == ["state_h", "(None,", "16)"]
    assert lines[3].split()[:3] == ["state_c", "(None,", "16)"]
    assert "cell state" in lines[3]
    assert lines[4] == "parameters: 1728"


@pytest.mark.parametrize(
    ("flags", "names"),
    [
        ([], ["last_hidden"]),
        (["--return-sequences"], ["sequence"]),
        (["--return-state"], ["last_hidden", "state_h", "state_c"]),
        (["--layer", "GRU", "--return-state"], ["last_hidden", "state_h"]),
        (
            ["--bidirectional", "--return-state"],
            ["last_hidden", "forward_h", "forward_c", "backward_h", "backward_c"],
        ),
    ],
)
def test_each_configuration_lists_its_tensors(capsys, flags, names):
    main([*EXAMPLE, *flags])
    rows = capsys.readouterr().out.splitlines()[1 : 1 + len(names)]
    assert [row.split()[0] for row in rows] == names


def test_bidirectional_concat_doubles_units(capsys):
    main([*EXAMPLE, "--bidirectional"])
    out = capsys.readouterr().out
    assert "Bidirectional(LSTM(16), merge_mode='concat')" in out
    assert "(None, 32)" in out
    assert "parameters: 3456" in out


def test_command_never_imports_tensorflow():
    code = (
        "import sys; from lstm_outputs.cli import main; "
        "main(['--units', '16', '--return-state']); "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_package_import_is_light():
    code = (
        "import sys, lstm_outputs; "
        "heavy = {'tensorflow', 'keras', 'numpy'} & set(sys.modules); assert not heavy, heavy"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(shutil.which("lstm-outputs") is None, reason="console script not installed")
def test_console_script_is_installed():
    result = subprocess.run(
        ["lstm-outputs", *EXAMPLE, "--return-state"], capture_output=True, text=True, check=True
    )
    assert "state_c" in result.stdout


@pytest.mark.parametrize(
    ("flags", "call", "parameters"),
    [
        ([], "GRU(16)", 1344),
        (["--reset-after"], "GRU(16)", 1344),
        (["--no-reset-after"], "GRU(16, reset_after=False)", 1296),
        (["--no-reset-after", "--bidirectional"], "GRU(16, reset_after=False)", 2592),
    ],
)
def test_gru_reset_after_changes_the_parameter_count(capsys, flags, call, parameters):
    assert main([*EXAMPLE, "--layer", "GRU", *flags]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert call in lines[0]
    assert lines[-1] == f"parameters: {parameters}"


@pytest.mark.parametrize("flag", ["--reset-after", "--no-reset-after"])
@pytest.mark.parametrize("layer", ["LSTM", "SimpleRNN"])
def test_reset_after_without_gru_is_one_line_error(capsys, flag, layer):
    with pytest.raises(SystemExit) as exit_info:
        main([*EXAMPLE, "--layer", layer, flag])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"lstm-outputs: error: argument {flag}: only applies with --layer GRU, got --layer {layer}"
    ]


CONV = ["--layer", "ConvLSTM2D", "--units", "4", "--kernel-size", "3", "--spatial", "8", "8",
        "--features", "3", "--timesteps", "5"]  # fmt: skip


def test_conv_lstm_form_prints_frames_and_parameters(capsys):
    assert main([*CONV, "--padding", "same", "--strides", "2", "--return-sequences"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        (
            "ConvLSTM2D(4, 3, strides=2, padding='same', return_sequences=True) on input "
            "(None, 5, 8, 8, 3) returns 1 tensor:"
        ),
        "  sequence  (None, 5, 4, 4, 4)  hidden state at every timestep, h_1 ... h_T",
        "parameters: 1024",
    ]


def test_conv_lstm_channels_first_puts_filters_before_the_frame(capsys):
    main([*CONV, "--data-format", "channels_first", "--return-state"])
    lines = capsys.readouterr().out.splitlines()
    assert "on input (None, 5, 3, 8, 8)" in lines[0]
    assert all("(None, 4, 6, 6)" in line for line in lines[1:4]), lines


def test_cells_form_prints_the_nested_states(capsys):
    assert main(["--cells", "16,32", "--timesteps", "4", "--features", "10", "--return-state"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "RNN([LSTMCell(16), LSTMCell(32)], return_state=True) on input (None, 4, 10) "
        "returns a tuple of 3 items:"
    )
    assert lines[1] == "  last_hidden, [cell0_h, cell0_c], [cell1_h, cell1_c] = layer(x)"
    assert [line.split()[0] for line in lines[2:-1]] == [
        "last_hidden", "cell0_h", "cell0_c", "cell1_h", "cell1_c",
    ]  # fmt: skip
    assert lines[-1] == "parameters: 8000"  # 4·(16·(10+16)+16) + 4·(32·(16+32)+32)


@pytest.mark.parametrize(
    ("argv", "layer"),
    [
        (["--units", "4", "--layer", "gru"], "GRU("),
        (["--units", "4", "--layer", "simplernn"], "SimpleRNN("),
        (["--units", "4", "--layer", "CONVLSTM1D", "--kernel-size", "3", "--spatial", "8"],
         "ConvLSTM1D("),
        (["--cells", "4", "--layer", "Gru"], "RNN([GRUCell(4)])"),
    ],
)  # fmt: skip
def test_layer_names_in_any_case(capsys, argv, layer):
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith(layer)


def run_json(capsys, argv):
    assert main([*argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one line of JSON
    return json.loads(out)


def tensor_objects(value):
    """Every tensor object in a JSON answer, nested lists flattened."""
    for item in value["tensors"]:
        yield from item if isinstance(item, list) else [item]


# One documented schema for every form (lstm_outputs.report): call, input, tensors, parameters.
JSON_FORMS = {
    "LSTM": [*EXAMPLE, "--return-state"],
    "GRU": [*EXAMPLE, "--layer", "GRU", "--return-sequences"],
    "SimpleRNN": ["--units", "3", "--layer", "SimpleRNN", "--return-state"],
    "Bidirectional": [*EXAMPLE, "--bidirectional", "--merge-mode", "none", "--return-state"],
    "ConvLSTM3D": ["--layer", "ConvLSTM3D", "--units", "2", "--kernel-size", "3", "1", "1",
                   "--spatial", "4", "5", "6", "--features", "2", "--return-state"],
    "cells": ["--cells", "16,32", "--features", "10", "--return-sequences", "--return-state"],
}  # fmt: skip


@pytest.mark.parametrize("form", JSON_FORMS)
def test_json_schema_is_the_same_on_every_form(capsys, form):
    value = run_json(capsys, JSON_FORMS[form])
    assert list(value) == ["call", "input", "tensors", "parameters"]
    assert isinstance(value["call"], str)
    assert value["input"][0] is None  # no --batch: unknown, as JSON null
    assert isinstance(value["parameters"], int) or value["parameters"] is None
    for tensor in tensor_objects(value):
        assert list(tensor) == ["name", "shape", "meaning"]
        assert all(size is None or isinstance(size, int) for size in tensor["shape"])
    assert main(JSON_FORMS[form]) == 0  # the same answer as text
    text = capsys.readouterr().out
    assert value["call"] in text.splitlines()[0]
    assert [t["name"] for t in tensor_objects(value)] == [
        line.split()[0] for line in text.splitlines() if line.startswith("  ") and "=" not in line
    ]


def test_json_values_match_the_package(capsys):
    value = run_json(capsys, [*EXAMPLE, "--bidirectional", "--return-state"])
    assert value["input"] == [None, 4, 10]
    assert value["parameters"] == 3456
    assert value["tensors"][0] == {
        "name": "last_hidden",
        "shape": [None, 32],
        "meaning": "[forward h_T, backward h at timestep 0], concatenated",
    }
    assert run_json(capsys, ["--units", "4"])["parameters"] is None  # features unknown


def test_json_nests_a_cells_states_as_lists(capsys):
    value = run_json(capsys, ["--cells", "16,32", "--batch", "2", "--return-state"])
    shapes = [
        [t["shape"] for t in item] if isinstance(item, list) else item["shape"]
        for item in value["tensors"]
    ]
    assert shapes == [[2, 32], [[2, 16], [2, 16]], [[2, 32], [2, 32]]]
    gru = run_json(capsys, ["--cells", "16,32", "--layer", "GRU", "--return-state"])
    assert [item["name"] for item in gru["tensors"]] == ["last_hidden", "cell0_h", "cell1_h"]


def test_json_form_never_imports_tensorflow():
    code = (
        "import sys; from lstm_outputs.cli import main; "
        "main(['--cells', '16,32', '--return-state', '--json']); "
        "main(['--layer', 'ConvLSTM2D', '--units', '4', '--kernel-size', '3', '--spatial', "
        "'8', '8', '--json']); "
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
