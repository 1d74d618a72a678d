"""The site's claims about what Keras's recurrent layers return, as one program that runs on
any Keras 3 release, or on tf.keras (``tf_keras``), without the site's package.

Each claim is a small function of the ``keras`` module that returns a JSON value (shapes,
counts, names, booleans); a claim whose code raises is recorded as the exception's type and
first line. What a CPU cannot run (the cuDNN kernel) is read from the installed release's
source text instead (``cudnn_gru_state``). ``python claims.py`` prints every claim's result
as one JSON object; ``--only NAME`` runs one claim; ``--keras tf_keras`` runs them on Keras 2.

>>> describe_error(ValueError("bad units\\nmore detail"))
'ValueError: bad units'
>>> shapes([np.zeros((2, 3)), [np.zeros(4)]])
[[2, 3], [[4]]]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import re
import sys
from pathlib import Path

import numpy as np

BATCH, TIMESTEPS, FEATURES, UNITS = 2, 3, 5, 4
CLAIMS: dict[str, dict] = {}
FLAGS = {
    "default": {},
    "return_sequences": {"return_sequences": True},
    "return_state": {"return_state": True},
    "both": {"return_sequences": True, "return_state": True},
}


def claim(topic: str, title: str):
    """Register a claim function under its topic, with the column title the page shows."""

    def register(function):
        CLAIMS[function.__name__] = {"topic": topic, "title": title, "function": function}
        return function

    return register


def describe_error(error: BaseException) -> str:
    """An exception as ``Type: first line`` (with the error Keras wraps, if it wraps one),
    without colours or memory addresses.

    >>> describe_error(ValueError("Exception encountered when calling RNN.call().\\n\\nbad"))
    'ValueError: Exception encountered when calling RNN.call(): bad'
    """
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    message = lines[0] if lines else ""
    wrapped = lines[1] if len(lines) > 1 else "Arguments received"
    if message.startswith("Exception encountered") and not wrapped.startswith("Arguments"):
        message = f"{message.rstrip('.')}: {wrapped}"
    message = re.sub(r"0x[0-9a-f]+", "0x…", message)
    return f"{type(error).__name__}: {message}"[:200]


def shapes(value):
    """The shape of every tensor in a (nested) structure, as nested lists of ints."""
    if isinstance(value, (list, tuple)):
        return [shapes(v) for v in value]
    return [None if d is None else int(d) for d in value.shape]


def same(a, b) -> bool:
    return bool(np.allclose(np.asarray(a), np.asarray(b), atol=1e-6))


def inputs(timesteps: int = TIMESTEPS) -> np.ndarray:
    """A deterministic batch that changes along time, so forward and backward runs differ."""
    size = BATCH * timesteps * FEATURES
    return np.linspace(-1.0, 1.0, size, dtype="float32").reshape(BATCH, timesteps, FEATURES)


def tensor(keras, array: np.ndarray):
    """A backend tensor (tf.keras takes no NumPy array as ``initial_state``)."""
    if hasattr(keras, "ops"):
        return keras.ops.convert_to_tensor(array)
    return keras.backend.constant(array)


def symbolic(keras):
    """A symbolic input, as a functional model or ``Sequential`` builds with."""
    return keras.Input((TIMESTEPS, FEATURES))


def constant(keras, value: float):
    return keras.initializers.Constant(value)


def layer(keras, name: str, units: int = UNITS, **kwargs):
    """``keras.layers.NAME(units)`` with constant weights: every run gives the same numbers."""
    weights = {
        "kernel_initializer": constant(keras, 0.1),
        "recurrent_initializer": constant(keras, -0.05),
        "bias_initializer": constant(keras, 0.02),
    }
    return getattr(keras.layers, name)(units, **weights, **kwargs)


def returned(keras, name: str, flags: str):
    return shapes(layer(keras, name, **FLAGS[flags])(inputs()))


# --- What each layer returns, for each combination of flags ------------------------------


def _returns_claims(name: str, topic: str) -> None:
    for flags in FLAGS:

        def returns(keras, flags=flags):
            return returned(keras, name, flags)

        returns.__name__ = f"{name.lower()}_{flags}"
        claim(topic, flags.replace("_", " ") if flags != "both" else "both flags")(returns)


_returns_claims("LSTM", "LSTM returns")
_returns_claims("GRU", "GRU returns")
_returns_claims("SimpleRNN", "SimpleRNN returns")


@claim("The order of the returned tensors", "LSTM, both flags")
def lstm_order(keras):
    """Which returned tensor is which: the sequence, h_T (its last step) and c_T."""
    sequence, first, second = layer(keras, "LSTM", **FLAGS["both"])(inputs())
    return [
        "sequence",
        "h" if same(sequence[:, -1], first) else "not h",
        "c" if not same(first, second) else "h again",
    ]


@claim("The order of the returned tensors", "LSTM output is state_h")
def lstm_output_is_state_h(keras):
    output, state_h, _ = layer(keras, "LSTM", return_state=True)(inputs())
    return same(output, state_h)


@claim("The order of the returned tensors", "initial_state order")
def initial_state_order(keras):
    """Zero weights, no forget bias: after one step, c = c0 / 2, so the state given second is the cell state."""
    zeros = {
        "kernel_initializer": "zeros",
        "recurrent_initializer": "zeros",
        "bias_initializer": "zeros",
    }
    lstm = keras.layers.LSTM(UNITS, return_state=True, unit_forget_bias=False, **zeros)
    h0 = np.zeros((BATCH, UNITS), "float32")
    c0 = np.full((BATCH, UNITS), 2.0, "float32")
    _, _, c = lstm(inputs(1), initial_state=[tensor(keras, h0), tensor(keras, c0)])
    return "[h, c]" if same(c, c0 / 2) else "[c, h]"


# --- Bidirectional --------------------------------------------------------------------------


def _bidirectional_labels(keras, merge_mode):
    """The returned tensors of Bidirectional(LSTM(return_state=True)), named by matching
    each state with the forward and backward layers run alone."""
    wrapper = keras.layers.Bidirectional(
        layer(keras, "LSTM", return_state=True), merge_mode=merge_mode
    )
    x = inputs()
    outputs = wrapper(x)
    _, forward_h, forward_c = wrapper.forward_layer(x)
    _, backward_h, backward_c = wrapper.backward_layer(x)
    known = {
        "h→": forward_h,
        "c→": forward_c,
        "h←": backward_h,
        "c←": backward_c,
    }
    outputs_count = 2 if merge_mode is None else 1
    labels = ["output"] * outputs_count
    for state in outputs[outputs_count:]:
        labels.append(next((k for k, v in known.items() if same(v, state)), "?"))
    return labels


def _bidirectional_claims() -> None:
    for mode in ("concat", "sum", "mul", "ave", None):

        def order(keras, mode=mode):
            return _bidirectional_labels(keras, mode)

        order.__name__ = f"bidirectional_{mode or 'none'}"
        claim("Bidirectional with return_state", f"merge_mode={mode!r}")(order)


_bidirectional_claims()


@claim("Bidirectional with return_state", "on keras.Input")
def bidirectional_symbolic(keras):
    return shapes(
        keras.layers.Bidirectional(layer(keras, "LSTM", return_state=True))(symbolic(keras))
    )


@claim("Bidirectional with return_state", "GRU, concat")
def bidirectional_gru(keras):
    wrapper = keras.layers.Bidirectional(layer(keras, "GRU", return_state=True))
    return shapes(wrapper(inputs()))


# --- GRU's reset_after -------------------------------------------------------------------


@claim("GRU parameters", "reset_after default")
def gru_reset_after_default(keras):
    return bool(keras.layers.GRU(UNITS).reset_after)


@claim("GRU parameters", "reset_after=True")
def gru_params_reset_after(keras):
    gru = keras.layers.GRU(UNITS, reset_after=True)
    gru(inputs())
    return int(gru.count_params())


@claim("GRU parameters", "reset_after=False")
def gru_params_reset_before(keras):
    gru = keras.layers.GRU(UNITS, reset_after=False)
    gru(inputs())
    return int(gru.count_params())


# --- Masking -----------------------------------------------------------------------------

PADDED = 2  # the last two timesteps of the first sample are padding


def _masked(keras, wrapper=None):
    x = inputs(5)
    mask = np.ones((BATCH, 5), bool)
    mask[0, -PADDED:] = False
    rnn = layer(keras, "LSTM", return_sequences=True, return_state=True)
    if wrapper is not None:
        rnn = wrapper(rnn)
    return rnn(x, mask=mask)


def _padded_rows(sequence) -> str:
    sequence = np.asarray(sequence)
    padded, last_valid = sequence[0, -PADDED:], sequence[0, -PADDED - 1]
    if np.allclose(padded, 0):
        return "zeros"
    if all(np.allclose(row, last_valid) for row in padded):
        return "last valid step repeated"
    return "other values"


@claim("Masking (generic kernel)", "padded rows of the sequence")
def masked_padded_rows(keras):
    sequence, _, _ = _masked(keras)
    return _padded_rows(sequence)


@claim("Masking (generic kernel)", "state_h is the last valid step")
def masked_state_is_last_valid(keras):
    sequence, state_h, _ = _masked(keras)
    return same(np.asarray(sequence)[0, -PADDED - 1], np.asarray(state_h)[0])


@claim("Masking (generic kernel)", "padded rows inside Bidirectional")
def masked_padded_rows_bidirectional(keras):
    outputs = _masked(keras, keras.layers.Bidirectional)
    return _padded_rows(np.asarray(outputs[0])[..., :UNITS])


# --- RNN with a list of cells ------------------------------------------------------------


def _stacked_cells(keras, x=None, **flags):
    cells = [keras.layers.LSTMCell(6), keras.layers.LSTMCell(UNITS)]
    return shapes(keras.layers.RNN(cells, **flags)(inputs() if x is None else x))


@claim("RNN with a list of cells", "RNN([cells])")
def stacked_cells(keras):
    return _stacked_cells(keras)


@claim("RNN with a list of cells", "return_state=True")
def stacked_cells_return_state(keras):
    return _stacked_cells(keras, return_state=True)


@claim("RNN with a list of cells", "return_state=True on keras.Input")
def stacked_cells_return_state_symbolic(keras):
    return _stacked_cells(keras, symbolic(keras), return_state=True)


# --- Arguments and methods ---------------------------------------------------------------


@claim("Arguments and methods", "stateful reset method")
def stateful_reset(keras):
    """Which reset method a stateful LSTM has, and whether it restores the first output."""
    lstm = layer(keras, "LSTM", stateful=True)
    x = inputs()
    first = np.asarray(lstm(x))
    names = [n for n in ("reset_state", "reset_states") if callable(getattr(lstm, n, None))]
    getattr(lstm, names[0])()
    return {"methods": names, "restores first output": same(lstm(x), first)}


@claim("Arguments and methods", "use_cudnn=False")
def use_cudnn_accepted(keras):
    keras.layers.LSTM(UNITS, use_cudnn=False)
    return "accepted"


@claim("Arguments and methods", "time_major=True")
def time_major_accepted(keras):
    keras.layers.LSTM(UNITS, time_major=True)
    return "accepted"


@claim("Arguments and methods", "return_state in Sequential")
def sequential_return_state(keras):
    model = keras.Sequential([keras.Input((TIMESTEPS, FEATURES))])
    model.add(layer(keras, "LSTM", return_state=True))
    return shapes(model(inputs()))


@claim("Arguments and methods", "layer.output_shape")
def output_shape_attribute(keras):
    inputs_ = keras.Input((TIMESTEPS, FEATURES))
    lstm = layer(keras, "LSTM", return_sequences=True)
    lstm(inputs_)
    return [d if d is None else int(d) for d in lstm.output_shape]


# --- ConvLSTM and TimeDistributed --------------------------------------------------------


def _conv_lstm(keras, dims: int, **flags):
    layer_ = getattr(keras.layers, f"ConvLSTM{dims}D")(2, 3, padding="same", **flags)
    x = np.linspace(-1, 1, BATCH * TIMESTEPS * 6**dims, dtype="float32")
    return shapes(layer_(x.reshape(BATCH, TIMESTEPS, *[6] * dims, 1)))


@claim("ConvLSTM and TimeDistributed", "ConvLSTM1D, both flags")
def conv_lstm_1d(keras):
    return _conv_lstm(keras, 1, **FLAGS["both"])


@claim("ConvLSTM and TimeDistributed", "ConvLSTM2D, both flags")
def conv_lstm_2d(keras):
    return _conv_lstm(keras, 2, **FLAGS["both"])


@claim("ConvLSTM and TimeDistributed", "TimeDistributed(Dense) == Dense on 3-D")
def time_distributed_dense(keras):
    dense = keras.layers.Dense(3, kernel_initializer=constant(keras, 0.1))
    x = inputs()
    return same(keras.layers.TimeDistributed(dense)(x), dense(x))


# --- Read from the source: what a CPU cannot run -----------------------------------------

#: Where each package keeps the code that decides the cuDNN GRU's states: Keras 3's
#: TensorFlow backend (an installed wheel's path first, then a source checkout's, as the
#: oldest releases' repository laid it out), and tf.keras's GRU layer.
SOURCE_PATHS = {
    "keras": ("src/backend/tensorflow/rnn.py", "backend/tensorflow/rnn.py"),
    "tf_keras": ("src/layers/rnn/gru.py", "layers/rnn/gru.py"),
}
_KERAS_RETURN = re.compile(r"return \(\s*last_output,\s*outputs,\s*(\[state\]|state),?\s*\)")
_TF_KERAS_STATES = re.compile(r"^\s*states = (\[new_h\]|new_h)\s*$", re.MULTILINE)


def installed_source(package: str) -> str:
    """The text of a package's file in ``SOURCE_PATHS``, found with ``importlib`` and read
    as text: the package is not imported.

    >>> "def _cudnn_gru(" in installed_source("keras")
    True
    """
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"{package} is not installed")
    directory = Path(spec.origin).parent
    for relative in SOURCE_PATHS[package]:
        if (directory / relative).is_file():
            return (directory / relative).read_text(encoding="utf-8")
    raise FileNotFoundError(f"none of {', '.join(SOURCE_PATHS[package])} under {directory}")


def gru_state_in_source(text: str, package: str = "keras") -> str:
    """What the cuDNN GRU gives as its states, read from the source text of ``package``'s
    file in ``SOURCE_PATHS``: ``"[state]"`` (a list of one ``(batch, units)`` tensor, as on
    every other kernel) or ``"state"`` (the tensor bare, which the layer then unpacks row by
    row, one ``(units,)`` tensor per sample).

    >>> gru_state_in_source("def _cudnn_gru(x):\\n    return (\\n        last_output,\\n"
    ...                     "        outputs,\\n        state,\\n    )\\n")
    'state'
    >>> gru_state_in_source("def _cudnn_gru(x):\\n    return (last_output, outputs, [state])\\n")
    '[state]'
    >>> gru_state_in_source("        states = [new_h]\\n", "tf_keras")
    '[state]'
    """
    if package == "tf_keras":
        found = _TF_KERAS_STATES.search(text)
    else:
        start = text.find("def _cudnn_gru(")
        if start < 0:
            raise ValueError("the source has no _cudnn_gru function")
        end = text.find("\ndef ", start + 1)
        found = _KERAS_RETURN.search(text[start : end if end > 0 else len(text)])
    if found is None:
        raise ValueError(f"the cuDNN GRU's states not found in {package}'s source")
    return "[state]" if found.group(1).startswith("[") else "state"


def installed_gru_state(package: str = "keras") -> str:
    """What the installed release's cuDNN GRU gives as its states, read without importing it.

    >>> installed_gru_state() in ("state", "[state]")
    True
    """
    return gru_state_in_source(installed_source(package), package)


@claim("The cuDNN GRU (TensorFlow backend)", "states, read from the source")
def cudnn_gru_state(keras):
    """Read, not run: the claims run on a CPU, where no cuDNN kernel runs."""
    return installed_gru_state(keras.__name__)


# --- Running them ------------------------------------------------------------------------


def run(keras, name: str) -> dict:
    """One claim: ``{"returns": value}`` or ``{"raises": "Type: message"}``."""
    keras.backend.clear_session()
    try:
        return {"returns": CLAIMS[name]["function"](keras)}
    except Exception as error:  # noqa: BLE001 - an error is what the claim found
        return {"raises": describe_error(error)}


def environment(keras) -> dict:
    """What ran the claims: Keras, its backend, NumPy and Python."""
    backend = keras.backend.backend()
    about = {"keras": keras.__version__, "backend": backend, "numpy": np.__version__}
    about["python"] = sys.version.split()[0]
    if backend in ("jax", "tensorflow"):
        about[backend] = importlib.import_module(backend).__version__
    return about


def results(keras, names=None) -> dict:
    """Every claim's result (or those named), with what ran them."""
    names = list(CLAIMS) if names is None else names
    return {"environment": environment(keras), "results": {n: run(keras, n) for n in names}}


def topics() -> dict:
    """Each claim's topic and title, in order, for the page."""
    return {n: {"topic": c["topic"], "title": c["title"]} for n, c in CLAIMS.items()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=list(CLAIMS), help="one claim")
    parser.add_argument("--none", action="store_true", help="no claim: only import Keras")
    parser.add_argument("--keras", default="keras", help="keras (default) or tf_keras")
    args = parser.parse_args(argv)
    keras = importlib.import_module(args.keras)
    print(json.dumps(results(keras, [] if args.none else args.only)))


if __name__ == "__main__":
    main()
