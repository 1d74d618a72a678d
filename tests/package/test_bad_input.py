"""Bad input gets one clear error naming the argument, from the API and the CLI."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from lstm_outputs import OutputConfig, parameter_count, returned_tensors
from lstm_outputs.formulas import keras_parameter_formula
from lstm_outputs.limits import SIZE_LIMITS
from lstm_outputs.models import build_layer, build_model, run_layer
from lstm_outputs.reference import lstm_forward
from lstm_outputs.topologies import Topology, fill_shape
from lstm_outputs.torch_equivalents import torch_equivalent

API_CASES = [
    (
        "zero units",
        lambda: returned_tensors(0),
        ValueError,
        "units must be a positive integer, got 0",
    ),
    ("negative units", lambda: returned_tensors(-3), ValueError, "units .* got -3"),
    (
        "float units",
        lambda: returned_tensors(2.5),
        TypeError,
        r"units must be an integer, got 2\.5",
    ),
    (
        "string units",
        lambda: returned_tensors("16"),
        TypeError,
        "units must be an integer, got '16'",
    ),
    ("bool units", lambda: returned_tensors(True), TypeError, "units must be an integer, got True"),
    ("zero timesteps", lambda: returned_tensors(4, 0), ValueError, "timesteps .* got 0"),
    ("negative batch", lambda: returned_tensors(4, batch=-1), ValueError, "batch .* got -1"),
    (
        "string flag",
        lambda: returned_tensors(4, return_state="yes"),
        TypeError,
        "return_state must be True or False, got 'yes'",
    ),
    (
        "int flag",
        lambda: OutputConfig(return_sequences=1, return_state=False),
        TypeError,
        "return_sequences must be True or False, got 1",
    ),
    ("unknown layer", lambda: returned_tensors(4, layer="RNN"), ValueError, "layer must be one of"),
    (
        "unknown merge mode",
        lambda: returned_tensors(4, bidirectional=True, merge_mode="max"),
        ValueError,
        "merge_mode must be one of",
    ),
    ("zero features", lambda: parameter_count(4, 0), ValueError, "features .* got 0"),
    ("float features", lambda: build_model(4, 3, 1.5), TypeError, "features must be an integer"),
    ("negative seed", lambda: build_layer(4, seed=-1), ValueError, "seed must be a non-negative"),
    (
        "rank-2 input",
        lambda: run_layer(np.zeros((4, 10)), 3),
        ValueError,
        r"inputs must have rank 3 \(batch, timesteps, features\), got shape \(4, 10\)",
    ),
    (
        "rank-4 input",
        lambda: run_layer(np.zeros((1, 2, 3, 4)), 3),
        ValueError,
        "inputs must have rank 3",
    ),
    (
        "empty input",
        lambda: run_layer(np.zeros((0, 2, 3)), 3),
        ValueError,
        "inputs must not have an empty axis",
    ),
    (
        "non-numeric input",
        lambda: run_layer([[["a"]]], 3),
        TypeError,
        "inputs must be a numeric array",
    ),
    (
        "wrong feature size",
        lambda: lstm_forward(np.zeros((1, 3, 5)), np.zeros((2, 4)), np.zeros((1, 4)), np.zeros(4)),
        ValueError,
        r"inputs must have 2 features in its last axis, got shape \(1, 3, 5\)",
    ),
    (
        "units beyond the limit",
        lambda: fill_shape(("batch", "U"), units=SIZE_LIMITS["units"] + 1),
        ValueError,
        f"units must be at most {SIZE_LIMITS['units']}, got {SIZE_LIMITS['units'] + 1}",
    ),
    (
        "features beyond the limit",
        lambda: keras_parameter_formula("GRU").count(4, SIZE_LIMITS["features"] + 1),
        ValueError,
        "features must be at most",
    ),
    (
        "unknown shape symbol",
        lambda: fill_shape(("batch", "3U"), units=4),
        ValueError,
        "axis must be one of",
    ),
    (
        "non-bool reset_after",
        lambda: torch_equivalent(Topology("GRU"), reset_after="no"),
        TypeError,
        "reset_after must be True or False, got 'no'",
    ),
    (
        "unknown layer in a topology",
        lambda: Topology("RNN"),
        ValueError,
        "layer must be one of",
    ),
    (
        "wrong recurrent kernel",
        lambda: lstm_forward(np.zeros((1, 3, 2)), np.zeros((2, 4)), np.zeros((2, 4)), np.zeros(4)),
        ValueError,
        r"recurrent_kernel must have shape \(1, 4\), got \(2, 4\)",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "message"), [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES]
)
def test_api_rejects_bad_input_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message) as raised:
        call()
    assert "\n" not in str(raised.value)


CLI_CASES = [
    ("missing units", [], "one of the arguments --units --cells is required"),
    ("zero units", ["--units", "0"], "argument --units: must be a positive integer, got '0'"),
    ("negative units", ["--units", "-4"], "argument --units: must be a positive integer, got '-4'"),
    ("float units", ["--units", "2.5"], "argument --units: must be a positive integer, got '2.5'"),
    ("word units", ["--units", "sixteen"], "argument --units: must be a positive integer"),
    ("zero timesteps", ["--units", "4", "--timesteps", "0"], "argument --timesteps:"),
    ("float features", ["--units", "4", "--features", "1e3"], "argument --features:"),
    ("negative batch", ["--units", "4", "--batch", "-2"], "argument --batch:"),
    (
        "unknown layer",
        ["--units", "4", "--layer", "RNN"],
        "argument --layer: invalid choice: 'RNN'",
    ),
    (
        "flag given a value",
        ["--units", "4", "--return-state=yes"],
        "argument --return-state: ignored explicit argument 'yes'",
    ),
    ("unknown option", ["--units", "4", "--return-sequence"], "unrecognized arguments"),
    (
        "merge mode without bidirectional",
        ["--units", "4", "--merge-mode", "sum"],
        "argument --merge-mode: only applies with --bidirectional",
    ),
    (
        "unknown merge mode",
        ["--units", "4", "--bidirectional", "--merge-mode", "max"],
        "argument --merge-mode: must be one of",
    ),
    *(
        (name, ["--layer", "ConvLSTM2D", "--units", "4", "--kernel-size", "3", *argv], message)
        for name, argv, message in [
            ("spatial rank", ["--spatial", "8"], "argument --spatial: spatial must have 2 sizes"),
            ("no spatial", [], "argument --spatial: required with --layer ConvLSTM2D"),
            (
                "kernel larger than the frame",
                ["--spatial", "2", "8"],
                "argument --kernel-size: kernel_size 3 (dilation_rate 1) is larger than",
            ),
            (
                "kernel rank",
                ["--spatial", "8", "8", "--kernel-size", "1", "2", "3"],
                "argument --kernel-size: kernel_size must be an integer or 2 integers",
            ),
            (
                "strides with dilation",
                ["--spatial", "8", "8", "--strides", "2", "--dilation-rate", "2"],
                "argument --strides: strides > 1",
            ),
            (
                "conv padding",
                ["--spatial", "8", "8", "--padding", "causal"],
                "argument --padding: invalid choice: 'causal'",
            ),
            (
                "conv bidirectional",
                ["--spatial", "8", "8", "--bidirectional"],
                "argument --bidirectional: only applies with --units, not with --layer ConvLSTM2D",
            ),
        ]
    ),
    ("cells word", ["--cells", "16,big"], "argument --cells: must be positive integers separated"),
    ("cells zero", ["--cells", "16,0"], "argument --cells: must be positive integers separated"),
    ("cells empty", ["--cells", ""], "argument --cells: must be positive integers separated"),
    ("cells and units", ["--cells", "4", "--units", "4"], "not allowed with argument"),
    ("cells conv", ["--cells", "4", "--layer", "convlstm1d"], "argument --layer: --cells takes"),
    (
        "cells gru reset",
        ["--cells", "4", "--layer", "GRU", "--no-reset-after"],
        "argument --no-reset-after: only applies with --units and --layer GRU",
    ),
    (
        "cells bidirectional",
        ["--cells", "4", "--bidirectional"],
        "argument --bidirectional: only applies with --units, not with --cells",
    ),
    *(
        (
            f"{option} without ConvLSTM",
            ["--units", "4", option, value],
            f"argument {option}: only applies with --layer ConvLSTM1D, ConvLSTM2D, ConvLSTM3D",
        )
        for option, value in [
            ("--kernel-size", "3"),
            ("--spatial", "8"),
            ("--strides", "2"),
            ("--padding", "same"),
            ("--data-format", "channels_first"),
        ]
    ),
    *(
        (
            f"{name} beyond the limit",
            ["--units", "4", f"--{name}", str(limit + 1)],
            f"argument --{name}: must be at most {limit}, got '{limit + 1}'",
        )
        for name, limit in SIZE_LIMITS.items()
    ),
]


@pytest.mark.parametrize(
    ("argv", "message"), [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES]
)
def test_cli_prints_one_line_and_exits_2(argv, message):
    result = subprocess.run(
        [sys.executable, "-m", "lstm_outputs", *argv], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("lstm-outputs: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_numpy_integers_become_ints_in_the_returned_shapes():
    tensors = returned_tensors(np.int64(16), np.int32(4), return_sequences=True, batch=np.int8(2))
    shapes = [t.shape for t in tensors]
    assert shapes == [(2, 4, 16)]
    assert all(type(size) is int for shape in shapes for size in shape)
    assert type(parameter_count(np.int64(16), np.int64(10))) is int


def test_numpy_booleans_are_accepted_as_flags():
    tensors = returned_tensors(16, return_sequences=np.bool_(False), return_state=np.bool_(True))
    assert [t.name for t in tensors] == ["last_hidden", "state_h", "state_c"]
    config = OutputConfig(np.bool_(True), np.False_)
    assert config == OutputConfig(True, False)
    assert type(config.return_sequences) is bool
