"""PyTorch ``nn.LSTM`` ⇄ Keras ``LSTM`` (and GRU, SimpleRNN): shapes and weight conversion.

Keras stores one LSTM layer as ``kernel`` ``(F, 4U)``, ``recurrent_kernel``
``(U, 4U)`` and one ``bias`` ``(4U,)``. PyTorch stores it as ``weight_ih_l0``
``(4H, F)``, ``weight_hh_l0`` ``(4H, H)`` and two biases ``bias_ih_l0`` and
``bias_hh_l0`` ``(4H,)`` that are always added together. Both stack the four
gate blocks in the same order — input, forget, candidate (PyTorch calls it
``g``), output — so converting is a transpose and a bias split or sum; no
gate blocks move. A GRU's blocks do move (Keras z, r, h; PyTorch r, z, n), and a
SimpleRNN has one block. ``nox -s crosscheck`` proves all three against real
``torch.nn`` modules; nothing here imports PyTorch, and all is NumPy.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from lstm_outputs.validation import check_choice, check_flag, check_size

#: Gate blocks along Keras's ``4U`` axis.
KERAS_GATE_ORDER = ("i", "f", "c", "o")
#: Gate blocks along PyTorch's ``4H`` axis (``g`` is the candidate, Keras's ``c``).
PYTORCH_GATE_ORDER = ("i", "f", "g", "o")


def keras_to_pytorch(
    kernel, recurrent_kernel, bias, *, suffix: str = "l0"
) -> dict[str, np.ndarray]:
    """Keras LSTM weights → a PyTorch ``nn.LSTM`` ``state_dict`` (as NumPy arrays).

    The whole Keras bias goes into ``bias_ih``; ``bias_hh`` is zero, since PyTorch
    only ever uses their sum. Load the result with
    ``lstm.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})``.

    >>> kernel = np.arange(2 * 4).reshape(2, 4)  # F=2 features, U=1 unit
    >>> weights = keras_to_pytorch(kernel, np.ones((1, 4)), np.array([0, 1, 0, 0]))
    >>> {name: w.shape for name, w in weights.items()}
    {'weight_ih_l0': (4, 2), 'weight_hh_l0': (4, 1), 'bias_ih_l0': (4,), 'bias_hh_l0': (4,)}
    >>> weights["weight_ih_l0"].tolist()
    [[0.0, 4.0], [1.0, 5.0], [2.0, 6.0], [3.0, 7.0]]
    """
    kernel, recurrent_kernel, bias = (
        np.asarray(w, dtype="float32") for w in (kernel, recurrent_kernel, bias)
    )
    if kernel.ndim != 2 or kernel.shape[1] % 4:
        raise ValueError(f"kernel must have shape (features, 4 * units), got {kernel.shape}")
    units = kernel.shape[1] // 4
    _check_shape("recurrent_kernel", recurrent_kernel, (units, 4 * units))
    _check_shape("bias", bias, (4 * units,))
    return {
        f"weight_ih_{suffix}": np.ascontiguousarray(kernel.T),
        f"weight_hh_{suffix}": np.ascontiguousarray(recurrent_kernel.T),
        f"bias_ih_{suffix}": bias.copy(),
        f"bias_hh_{suffix}": np.zeros_like(bias),
    }


#: Gate blocks along Keras's GRU ``3U`` axis: update, reset, candidate.
KERAS_GRU_GATE_ORDER = ("z", "r", "h")
#: Gate blocks along PyTorch's GRU ``3H`` axis (``n`` is the candidate, Keras's ``h``).
PYTORCH_GRU_GATE_ORDER = ("r", "z", "n")


def keras_gru_to_pytorch(
    kernel, recurrent_kernel, bias, *, suffix: str = "l0"
) -> dict[str, np.ndarray]:
    """Keras ``GRU(reset_after=True)`` weights → a PyTorch ``nn.GRU`` ``state_dict``.

    Keras's bias ``(2, 3U)`` holds the input bias and the recurrent bias, as PyTorch's
    ``bias_ih`` and ``bias_hh``; the gate blocks move from z, r, h to r, z, n. A Keras GRU
    with ``reset_after=False`` (one bias row) has no PyTorch counterpart.

    >>> kernel = np.arange(3).reshape(1, 3)  # F=1 feature, U=1 unit: blocks z=0, r=1, h=2
    >>> weights = keras_gru_to_pytorch(kernel, np.ones((1, 3)), np.zeros((2, 3)))
    >>> weights["weight_ih_l0"].ravel().tolist()
    [1.0, 0.0, 2.0]
    >>> keras_gru_to_pytorch(kernel, np.ones((1, 3)), np.zeros(3))
    Traceback (most recent call last):
    ...
    ValueError: bias must have shape (2, 3), got (3,) (reset_after=False has no PyTorch GRU)
    """
    kernel, recurrent_kernel, bias = (
        np.asarray(w, dtype="float32") for w in (kernel, recurrent_kernel, bias)
    )
    if kernel.ndim != 2 or kernel.shape[1] % 3:
        raise ValueError(f"kernel must have shape (features, 3 * units), got {kernel.shape}")
    units = kernel.shape[1] // 3
    _check_shape("recurrent_kernel", recurrent_kernel, (units, 3 * units))
    if bias.shape != (2, 3 * units):
        raise ValueError(
            f"bias must have shape {(2, 3 * units)}, got {bias.shape} "
            "(reset_after=False has no PyTorch GRU)"
        )
    order = [KERAS_GRU_GATE_ORDER.index(g) for g in ("r", "z", "h")]

    def reorder(matrix: np.ndarray) -> np.ndarray:
        blocks = np.split(matrix, 3, axis=-1)
        return np.ascontiguousarray(np.concatenate([blocks[i] for i in order], axis=-1))

    return {
        f"weight_ih_{suffix}": reorder(kernel).T.copy(),
        f"weight_hh_{suffix}": reorder(recurrent_kernel).T.copy(),
        f"bias_ih_{suffix}": reorder(bias[0]),
        f"bias_hh_{suffix}": reorder(bias[1]),
    }


def keras_simple_rnn_to_pytorch(
    kernel, recurrent_kernel, bias, *, suffix: str = "l0"
) -> dict[str, np.ndarray]:
    """Keras ``SimpleRNN`` weights → a PyTorch ``nn.RNN`` ``state_dict`` (tanh, one block).

    >>> weights = keras_simple_rnn_to_pytorch(np.ones((2, 3)), np.eye(3), np.ones(3))
    >>> {name: w.shape for name, w in weights.items()}
    {'weight_ih_l0': (3, 2), 'weight_hh_l0': (3, 3), 'bias_ih_l0': (3,), 'bias_hh_l0': (3,)}
    """
    kernel, recurrent_kernel, bias = (
        np.asarray(w, dtype="float32") for w in (kernel, recurrent_kernel, bias)
    )
    if kernel.ndim != 2:
        raise ValueError(f"kernel must have shape (features, units), got {kernel.shape}")
    units = kernel.shape[1]
    _check_shape("recurrent_kernel", recurrent_kernel, (units, units))
    _check_shape("bias", bias, (units,))
    return {
        f"weight_ih_{suffix}": np.ascontiguousarray(kernel.T),
        f"weight_hh_{suffix}": np.ascontiguousarray(recurrent_kernel.T),
        f"bias_ih_{suffix}": bias.copy(),
        f"bias_hh_{suffix}": np.zeros_like(bias),
    }


#: The converter from a Keras layer's ``get_weights()`` to a PyTorch ``state_dict``, by layer.
KERAS_TO_PYTORCH = {
    "LSTM": keras_to_pytorch,
    "GRU": keras_gru_to_pytorch,
    "SimpleRNN": keras_simple_rnn_to_pytorch,
}


def pytorch_to_keras(
    state_dict: Mapping[str, object], *, suffix: str = "l0"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A PyTorch ``nn.LSTM`` ``state_dict`` → Keras ``[kernel, recurrent_kernel, bias]``.

    Pass the result to ``keras_layer.set_weights(...)``. Values may be NumPy
    arrays or CPU tensors from ``lstm.state_dict()``; the two biases are summed.

    >>> weights = {
    ...     "weight_ih_l0": np.ones((4, 2)), "weight_hh_l0": np.ones((4, 1)),
    ...     "bias_ih_l0": np.array([0.5, 1, 0, 0]), "bias_hh_l0": np.array([0.5, 0, 0, 0]),
    ... }
    >>> kernel, recurrent_kernel, bias = pytorch_to_keras(weights)
    >>> kernel.shape, recurrent_kernel.shape, bias.tolist()
    ((2, 4), (1, 4), [1.0, 1.0, 0.0, 0.0])
    >>> pytorch_to_keras({})
    Traceback (most recent call last):
    ...
    KeyError: "state_dict has no 'weight_ih_l0'; it has: []"
    """
    arrays = _direction_arrays(state_dict, suffix)
    weight_ih = arrays["weight_ih"]
    if weight_ih.ndim != 2 or weight_ih.shape[0] % 4:
        raise ValueError(
            f"weight_ih_{suffix} must have shape (4 * hidden, features), got {weight_ih.shape}"
        )
    hidden = weight_ih.shape[0] // 4
    _check_shapes(arrays, suffix, {"weight_hh": (4 * hidden, hidden), "bias_ih": (4 * hidden,),
                                   "bias_hh": (4 * hidden,)})  # fmt: skip
    return (
        np.ascontiguousarray(weight_ih.T),
        np.ascontiguousarray(arrays["weight_hh"].T),
        arrays["bias_ih"] + arrays["bias_hh"],
    )


def pytorch_gru_to_keras(
    state_dict: Mapping[str, object], *, suffix: str = "l0"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A PyTorch ``nn.GRU`` ``state_dict`` → Keras ``GRU(reset_after=True)`` weights.

    The gate blocks move from r, z, n to z, r, h; the two biases become the two rows of
    Keras's bias ``(2, 3U)``, input bias first.

    >>> weights = {"weight_ih_l0": np.array([[1.0], [0.0], [2.0]]),  # r=1, z=0, n=2
    ...            "weight_hh_l0": np.ones((3, 1)), "bias_ih_l0": np.zeros(3),
    ...            "bias_hh_l0": np.ones(3)}
    >>> kernel, recurrent_kernel, bias = pytorch_gru_to_keras(weights)
    >>> kernel.tolist(), bias.shape
    ([[0.0, 1.0, 2.0]], (2, 3))
    """
    arrays = _direction_arrays(state_dict, suffix)
    weight_ih = arrays["weight_ih"]
    if weight_ih.ndim != 2 or weight_ih.shape[0] % 3:
        raise ValueError(
            f"weight_ih_{suffix} must have shape (3 * hidden, features), got {weight_ih.shape}"
        )
    hidden = weight_ih.shape[0] // 3
    _check_shapes(arrays, suffix, {"weight_hh": (3 * hidden, hidden), "bias_ih": (3 * hidden,),
                                   "bias_hh": (3 * hidden,)})  # fmt: skip
    order = [PYTORCH_GRU_GATE_ORDER.index(g) for g in ("z", "r", "n")]

    def reorder(matrix: np.ndarray) -> np.ndarray:
        blocks = np.split(matrix, 3, axis=0)
        return np.concatenate([blocks[i] for i in order], axis=0)

    return (
        np.ascontiguousarray(reorder(weight_ih).T),
        np.ascontiguousarray(reorder(arrays["weight_hh"]).T),
        np.stack([reorder(arrays["bias_ih"]), reorder(arrays["bias_hh"])]),
    )


def pytorch_simple_rnn_to_keras(
    state_dict: Mapping[str, object], *, suffix: str = "l0"
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A PyTorch ``nn.RNN`` (tanh) ``state_dict`` → Keras ``SimpleRNN`` weights.

    >>> weights = {"weight_ih_l0": np.ones((3, 2)), "weight_hh_l0": np.eye(3),
    ...            "bias_ih_l0": np.ones(3), "bias_hh_l0": np.ones(3)}
    >>> [w.shape for w in pytorch_simple_rnn_to_keras(weights)]
    [(2, 3), (3, 3), (3,)]
    """
    arrays = _direction_arrays(state_dict, suffix)
    weight_ih = arrays["weight_ih"]
    if weight_ih.ndim != 2:
        raise ValueError(
            f"weight_ih_{suffix} must have shape (hidden, features), got {weight_ih.shape}"
        )
    hidden = weight_ih.shape[0]
    _check_shapes(arrays, suffix, {"weight_hh": (hidden, hidden), "bias_ih": (hidden,),
                                   "bias_hh": (hidden,)})  # fmt: skip
    return (
        np.ascontiguousarray(weight_ih.T),
        np.ascontiguousarray(arrays["weight_hh"].T),
        arrays["bias_ih"] + arrays["bias_hh"],
    )


#: The converter from one direction of a PyTorch ``state_dict`` to Keras weights, by layer.
PYTORCH_TO_KERAS = {
    "LSTM": pytorch_to_keras,
    "GRU": pytorch_gru_to_keras,
    "SimpleRNN": pytorch_simple_rnn_to_keras,
}

#: The four entries of one direction of one layer in a PyTorch ``state_dict``.
DIRECTION_ENTRIES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _direction_arrays(state_dict: Mapping[str, object], suffix: str) -> dict[str, np.ndarray]:
    """The four arrays of one direction, as float32; a projection or a missing key refused."""
    if f"weight_hr_{suffix}" in state_dict:
        raise ValueError(
            f"state_dict has 'weight_hr_{suffix}': an nn.LSTM with proj_size > 0 projects "
            "h_t, and no Keras layer does, so it has no Keras equivalent"
        )
    arrays = {}
    for name in DIRECTION_ENTRIES:
        key = f"{name}_{suffix}"
        if key not in state_dict:
            raise KeyError(f"state_dict has no {key!r}; it has: {sorted(state_dict)}")
        arrays[name] = np.asarray(state_dict[key], dtype="float32")
    return arrays


def _check_shapes(
    arrays: Mapping[str, np.ndarray], suffix: str, shapes: Mapping[str, tuple[int, ...]]
) -> None:
    for name, shape in shapes.items():
        _check_shape(f"{name}_{suffix}", arrays[name], shape)


def pytorch_output_shapes(
    hidden_size: int,
    timesteps: int,
    batch: int | None,
    *,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = False,
    proj_size: int = 0,
) -> dict[str, tuple[int, ...]]:
    """Shapes of what ``nn.LSTM`` returns: ``output, (h_n, c_n)``.

    ``output`` is every hidden state of the last layer (like Keras's
    ``return_sequences=True``), time-major unless ``batch_first=True``;
    ``h_n`` and ``c_n`` hold the last states of every layer and direction, and
    ``batch_first`` never applies to them. ``batch=None`` is unbatched input
    ``(timesteps, features)``: no batch axis anywhere. ``proj_size > 0`` projects
    each ``h_t`` to ``proj_size`` values, so ``output`` and ``h_n`` shrink and
    ``c_n`` keeps ``hidden_size``.

    >>> pytorch_output_shapes(16, 4, 100, batch_first=True)
    {'output': (100, 4, 16), 'h_n': (1, 100, 16), 'c_n': (1, 100, 16)}
    >>> pytorch_output_shapes(16, 4, 100, num_layers=2, bidirectional=True)
    {'output': (4, 100, 32), 'h_n': (4, 100, 16), 'c_n': (4, 100, 16)}
    >>> pytorch_output_shapes(16, 4, None, proj_size=3)
    {'output': (4, 3), 'h_n': (1, 3), 'c_n': (1, 16)}
    >>> pytorch_output_shapes(16, 4, 100, proj_size=16)
    Traceback (most recent call last):
    ...
    ValueError: proj_size must be smaller than hidden_size (16), got 16
    """
    check_size("hidden_size", hidden_size)
    check_size("timesteps", timesteps)
    check_size("batch", batch, allow_none=True)
    check_size("num_layers", num_layers)
    check_flag("bidirectional", bidirectional)
    check_flag("batch_first", batch_first)
    check_size("proj_size", proj_size, minimum=0)
    if proj_size >= hidden_size:
        raise ValueError(
            f"proj_size must be smaller than hidden_size ({hidden_size}), got {proj_size}"
        )
    directions = 2 if bidirectional else 1
    out_size = proj_size or hidden_size
    batch_axis = () if batch is None else (batch,)
    if batch is not None and batch_first:
        output = (batch, timesteps, directions * out_size)
    else:
        output = (timesteps, *batch_axis, directions * out_size)
    states = num_layers * directions
    return {
        "output": output,
        "h_n": (states, *batch_axis, out_size),
        "c_n": (states, *batch_axis, hidden_size),
    }


def pytorch_cell_shapes(
    hidden_size: int, batch: int | None, *, layer: str = "LSTM"
) -> dict[str, tuple[int, ...]]:
    """Shapes of what one step of ``nn.LSTMCell`` (``h, c``) or ``nn.GRUCell`` (``h``) returns.

    A cell has no ``output`` and no layer or direction axis; ``batch=None`` is an
    unbatched input ``(features,)``.

    >>> pytorch_cell_shapes(16, 100)
    {'h': (100, 16), 'c': (100, 16)}
    >>> pytorch_cell_shapes(16, None, layer="GRU")
    {'h': (16,)}
    """
    check_size("hidden_size", hidden_size)
    check_size("batch", batch, allow_none=True)
    check_choice("layer", layer, ("LSTM", "GRU"))
    shape = (hidden_size,) if batch is None else (batch, hidden_size)
    return {"h": shape, "c": shape} if layer == "LSTM" else {"h": shape}


def _check_shape(name: str, array: np.ndarray, shape: tuple[int, ...]) -> None:
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
