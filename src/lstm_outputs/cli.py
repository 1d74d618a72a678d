"""``lstm-outputs``: print what a Keras recurrent layer returns, without TensorFlow.

Three forms: a recurrent layer (``--units``, ``--layer LSTM|GRU|SimpleRNN``, optionally in
``Bidirectional``), a ConvLSTM layer (``--layer ConvLSTM1D|2D|3D`` with ``--kernel-size``
and ``--spatial``), and ``keras.layers.RNN`` over a list of cells (``--cells 16,32``).
``--json`` prints the answer in :mod:`lstm_outputs.report`'s schema.
"""

from __future__ import annotations

import argparse
import json
import sys

from lstm_outputs.configs import LAYERS
from lstm_outputs.limits import AXIS_LIMIT, SIZE_LIMITS
from lstm_outputs.report import Report, cells_report, conv_lstm_report, recurrent_report
from lstm_outputs.shapes import CONV_LSTM_LAYERS, DATA_FORMATS, PADDINGS

#: Every layer ``--layer`` names, each accepted in any case (``gru``, ``convlstm2d``).
ALL_LAYERS = (*LAYERS, *CONV_LSTM_LAYERS)
#: The options that describe a ConvLSTM layer only, with their defaults.
CONV_OPTIONS = {
    "kernel_size": None,
    "spatial": None,
    "strides": [1],
    "padding": "valid",
    "dilation_rate": [1],
    "data_format": "channels_last",
}


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive(text: str, limit: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    if value > limit:
        raise argparse.ArgumentTypeError(f"must be at most {limit}, got {text!r}")
    return value


def _size(name: str):
    """An argument type for the size ``name``: a positive integer within the package's limits."""
    limit = SIZE_LIMITS[name]
    return lambda text: _positive(text, limit)


def _axis_size(text: str) -> int:
    """A ConvLSTM layer's size along one spatial axis (frame, kernel, stride, dilation)."""
    return _positive(text, AXIS_LIMIT)


def _cells(text: str) -> list[int]:
    """``--cells``: the cells' units, bottom first, separated by commas.

    >>> _cells("16,32")
    [16, 32]
    """
    try:
        return [_positive(part.strip(), SIZE_LIMITS["units"]) for part in text.split(",")]
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"must be positive integers separated by commas, like 16,32, got {text!r}"
        ) from None


def _layer(text: str) -> str:
    """A layer's name in any case, as Keras spells it (an unknown name is left to ``choices``)."""
    return {name.lower(): name for name in ALL_LAYERS}.get(text.lower(), text)


def _merge_mode(text: str) -> str | None:
    choices = ("concat", "sum", "mul", "ave", "none")
    if text not in choices:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(choices)}, got {text!r}")
    return None if text == "none" else text


def make_parser() -> argparse.ArgumentParser:
    """The command line's arguments.

    >>> make_parser().parse_args(["--units", "16", "--return-state"]).return_state
    True
    >>> make_parser().parse_args(["--units", "16", "--layer", "GRU", "--no-reset-after"]).reset_after
    False
    >>> make_parser().parse_args(["--units", "4", "--layer", "convlstm2d"]).layer
    'ConvLSTM2D'
    """
    parser = _OneLineParser(
        prog="lstm-outputs",
        allow_abbrev=False,
        description="Print the tensors a Keras LSTM (or GRU, SimpleRNN, ConvLSTM, or RNN over "
        "a list of cells) returns, with their meanings and shapes. Answers instantly: "
        "TensorFlow is not imported.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--units", type=_size("units"), help="the layer's units (ConvLSTM: filters)")
    what.add_argument(
        "--cells",
        type=_cells,
        metavar="UNITS,...",
        help="RNN over a list of cells, their units bottom first: 16,32 is "
        "RNN([LSTMCell(16), LSTMCell(32)]); --layer picks the cells' kind",
    )
    parser.add_argument(
        "--timesteps", type=_size("timesteps"), help="timesteps per sample (default: None)"
    )
    parser.add_argument(
        "--features", type=_size("features"), help="features per timestep (ConvLSTM: channels)"
    )
    parser.add_argument("--batch", type=_size("batch"), help="batch size (default: None)")
    parser.add_argument("--return-sequences", action="store_true", help="return every h_t")
    parser.add_argument("--return-state", action="store_true", help="also return the states")
    parser.add_argument(
        "--layer",
        type=_layer,
        choices=ALL_LAYERS,
        default="LSTM",
        help="the recurrent layer, in any case (default: LSTM)",
    )
    parser.add_argument("--bidirectional", action="store_true", help="wrap in Bidirectional")
    parser.add_argument(
        "--merge-mode",
        type=_merge_mode,
        default="concat",
        help="Bidirectional merge mode: concat, sum, mul, ave or none (default: concat)",
    )
    parser.add_argument(
        "--reset-after",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="GRU only: apply the reset gate after the recurrent matrix multiplication, "
        "with a second recurrent bias (Keras's default: --reset-after)",
    )
    conv = parser.add_argument_group("ConvLSTM layers")
    conv.add_argument(
        "--kernel-size",
        type=_axis_size,
        nargs="+",
        metavar="N",
        help="one size, or one per spatial axis",
    )
    conv.add_argument(
        "--spatial",
        type=_axis_size,
        nargs="+",
        metavar="N",
        help="the frame's size on each spatial axis",
    )
    conv.add_argument(
        "--strides", type=_axis_size, nargs="+", default=[1], metavar="N", help="default: 1"
    )
    conv.add_argument("--padding", choices=PADDINGS, default="valid", help="default: valid")
    conv.add_argument(
        "--dilation-rate", type=_axis_size, nargs="+", default=[1], metavar="N", help="default: 1"
    )
    conv.add_argument(
        "--data-format",
        choices=DATA_FORMATS,
        default="channels_last",
        help="default: channels_last",
    )
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    return parser


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def _check_applies(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Reject an option that does not apply to the form or layer given, naming it."""
    conv = args.layer in CONV_LSTM_LAYERS
    if args.cells is not None and conv:
        parser.error(f"argument --layer: --cells takes {', '.join(LAYERS)}, got {args.layer}")
    if args.merge_mode != "concat" and not args.bidirectional:
        parser.error("argument --merge-mode: only applies with --bidirectional")
    if args.reset_after is not None and (args.layer != "GRU" or args.cells is not None):
        flag = "--reset-after" if args.reset_after else "--no-reset-after"
        if args.cells is not None:
            parser.error(f"argument {flag}: only applies with --units and --layer GRU")
        parser.error(f"argument {flag}: only applies with --layer GRU, got --layer {args.layer}")
    if args.bidirectional and (conv or args.cells is not None):
        form = f"--layer {args.layer}" if conv else "--cells"
        parser.error(f"argument --bidirectional: only applies with --units, not with {form}")
    for name, default in CONV_OPTIONS.items():
        if not conv and getattr(args, name) != default:
            parser.error(
                f"argument {_option(name)}: only applies with --layer "
                f"{', '.join(CONV_LSTM_LAYERS)}, got --layer {args.layer}"
            )
    if conv:
        for name in ("kernel_size", "spatial"):
            if getattr(args, name) is None:
                parser.error(f"argument {_option(name)}: required with --layer {args.layer}")


def _one_or_tuple(values: list[int]) -> int | tuple[int, ...]:
    return values[0] if len(values) == 1 else tuple(values)


def report(args: argparse.Namespace) -> Report:
    """The answer for parsed arguments (already checked by :func:`main`).

    >>> args = make_parser().parse_args(["--cells", "4,8", "--layer", "gru", "--return-state"])
    >>> report(args).call
    'RNN([GRUCell(4), GRUCell(8)], return_state=True)'
    """
    flags = {"return_sequences": args.return_sequences, "return_state": args.return_state}
    sizes = {"timesteps": args.timesteps, "batch": args.batch}
    if args.cells is not None:
        return cells_report(args.cells, features=args.features, cell=args.layer, **sizes, **flags)
    if args.layer in CONV_LSTM_LAYERS:
        return conv_lstm_report(
            args.layer,
            args.units,
            tuple(args.spatial),
            args.features,
            kernel_size=_one_or_tuple(args.kernel_size),
            strides=_one_or_tuple(args.strides),
            padding=args.padding,
            dilation_rate=_one_or_tuple(args.dilation_rate),
            data_format=args.data_format,
            **sizes,
            **flags,
        )
    return recurrent_report(
        args.units,
        features=args.features,
        layer=args.layer,
        bidirectional=args.bidirectional,
        merge_mode=args.merge_mode,
        reset_after=args.reset_after is not False,  # Keras's default: True
        **sizes,
        **flags,
    )


def describe(args: argparse.Namespace) -> str:
    """The report the command prints, as text.

    >>> print(describe(make_parser().parse_args(["--units", "16", "--features", "10"])))
    LSTM(16) on input (None, None, 10) returns 1 tensor:
      last_hidden  (None, 16)  hidden state after the last timestep, h_T
    parameters: 1728
    >>> args = ["--units", "16", "--features", "10", "--layer", "GRU", "--no-reset-after"]
    >>> print(describe(make_parser().parse_args(args)))
    GRU(16, reset_after=False) on input (None, None, 10) returns 1 tensor:
      last_hidden  (None, 16)  hidden state after the last timestep, h_T
    parameters: 1296
    """
    found = report(args)
    return json.dumps(found.json_value()) if args.json else found.text()


def _argument_named(message: str) -> str:
    """The option a package error names (its first word is the argument's name).

    >>> _argument_named("kernel_size 3 (dilation_rate 1) is larger than the input's 2")
    '--kernel-size'
    """
    name = message.split()[0]
    known = {"features": "channels", "units": "filters", "cells": "cells"}
    for option, python_name in known.items():
        if name == python_name:
            return f"--{option}"
    return _option(name)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    _check_applies(parser, args)
    try:
        print(describe(args))
    except (TypeError, ValueError) as error:
        parser.error(f"argument {_argument_named(str(error))}: {error}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
