"""``lstm-outputs``: print what a Keras recurrent layer returns, without TensorFlow."""

from __future__ import annotations

import argparse
import sys

from lstm_outputs.configs import OutputConfig
from lstm_outputs.limits import SIZE_LIMITS
from lstm_outputs.shapes import LAYERS, parameter_count, returned_tensors


class _OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _size(name: str):
    """An argument type for the size ``name``: a positive integer within the package's limits."""
    limit = SIZE_LIMITS[name]

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
        if value > limit:
            raise argparse.ArgumentTypeError(f"must be at most {limit}, got {text!r}")
        return value

    return parse


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
    """
    parser = _OneLineParser(
        prog="lstm-outputs",
        allow_abbrev=False,
        description="Print the tensors a Keras LSTM (or GRU, SimpleRNN) layer returns, "
        "with their meanings and shapes. Answers instantly: TensorFlow is not imported.",
    )
    parser.add_argument("--units", type=_size("units"), required=True, help="the layer's units")
    parser.add_argument(
        "--timesteps", type=_size("timesteps"), help="timesteps per sample (default: None)"
    )
    parser.add_argument("--features", type=_size("features"), help="features per timestep")
    parser.add_argument("--batch", type=_size("batch"), help="batch size (default: None)")
    parser.add_argument("--return-sequences", action="store_true", help="return every h_t")
    parser.add_argument("--return-state", action="store_true", help="also return the states")
    parser.add_argument("--layer", choices=LAYERS, default="LSTM", help="the recurrent layer")
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
    return parser


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
    tensors = returned_tensors(
        args.units,
        args.timesteps,
        return_sequences=args.return_sequences,
        return_state=args.return_state,
        batch=args.batch,
        layer=args.layer,
        bidirectional=args.bidirectional,
        merge_mode=args.merge_mode,
    )
    call = OutputConfig(args.return_sequences, args.return_state).keras_call(
        args.units, layer=args.layer
    )
    reset_after = args.reset_after is not False  # Keras's default: True
    if not reset_after:
        call = call.removesuffix(")") + ", reset_after=False)"
    if args.bidirectional:
        call = f"Bidirectional({call}, merge_mode={args.merge_mode!r})"
    input_shape = (args.batch, args.timesteps, args.features)
    count = "1 tensor" if len(tensors) == 1 else f"a tuple of {len(tensors)} tensors"
    name_width = max(len(t.name) for t in tensors)
    shape_width = max(len(t.shape_text) for t in tensors)
    lines = [f"{call} on input {input_shape} returns {count}:"]
    for tensor in tensors:
        lines.append(
            f"  {tensor.name:<{name_width}}  {tensor.shape_text:<{shape_width}}  {tensor.meaning}"
        )
    if args.features is not None:
        params = parameter_count(
            args.units,
            args.features,
            layer=args.layer,
            bidirectional=args.bidirectional,
            reset_after=reset_after,
        )
        lines.append(f"parameters: {params}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.merge_mode != "concat" and not args.bidirectional:
        parser.error("argument --merge-mode: only applies with --bidirectional")
    if args.reset_after is not None and args.layer != "GRU":
        flag = "--reset-after" if args.reset_after else "--no-reset-after"
        parser.error(f"argument {flag}: only applies with --layer GRU, got --layer {args.layer}")
    try:
        print(describe(args))
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
