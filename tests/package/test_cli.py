"""The lstm-outputs command answers from the shapes module, without TensorFlow."""

from __future__ import annotations

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
