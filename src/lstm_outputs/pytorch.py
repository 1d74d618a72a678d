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

from lstm_outputs.validation import check_flag, check_size

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
    arrays = {}
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        key = f"{name}_{suffix}"
        if key not in state_dict:
            raise KeyError(f"state_dict has no {key!r}; it has: {sorted(state_dict)}")
        arrays[name] = np.asarray(state_dict[key], dtype="float32")
    weight_ih = arrays["weight_ih"]
    if weight_ih.ndim != 2 or weight_ih.shape[0] % 4:
        raise ValueError(f"weight_ih must have shape (4 * hidden, features), got {weight_ih.shape}")
    hidden = weight_ih.shape[0] // 4
    _check_shape("weight_hh", arrays["weight_hh"], (4 * hidden, hidden))
    _check_shape("bias_ih", arrays["bias_ih"], (4 * hidden,))
    _check_shape("bias_hh", arrays["bias_hh"], (4 * hidden,))
    return (
        np.ascontiguousarray(weight_ih.T),
        np.ascontiguousarray(arrays["weight_hh"].T),
        arrays["bias_ih"] + arrays["bias_hh"],
    )


def pytorch_output_shapes(
    hidden_size: int,
    timesteps: int,
    batch: int,
    *,
    num_layers: int = 1,
    bidirectional: bool = False,
    batch_first: bool = False,
) -> dict[str, tuple[int, ...]]:
    """Shapes of what ``nn.LSTM`` returns: ``output, (h_n, c_n)``.

    ``output`` is every hidden state of the last layer (like Keras's
    ``return_sequences=True``), time-major unless ``batch_first=True``;
    ``h_n`` and ``c_n`` hold the last states of every layer and direction.

    >>> pytorch_output_shapes(16, 4, 100, batch_first=True)
    {'output': (100, 4, 16), 'h_n': (1, 100, 16), 'c_n': (1, 100, 16)}
    >>> pytorch_output_shapes(16, 4, 100, num_layers=2, bidirectional=True)
    {'output': (4, 100, 32), 'h_n': (4, 100, 16), 'c_n': (4, 100, 16)}
    """
    check_size("hidden_size", hidden_size)
    check_size("timesteps", timesteps)
    check_size("batch", batch)
    check_size("num_layers", num_layers)
    check_flag("bidirectional", bidirectional)
    check_flag("batch_first", batch_first)
    directions = 2 if bidirectional else 1
    features = directions * hidden_size
    output = (batch, timesteps, features) if batch_first else (timesteps, batch, features)
    state = (num_layers * directions, batch, hidden_size)
    return {"output": output, "h_n": state, "c_n": state}


def _check_shape(name: str, array: np.ndarray, shape: tuple[int, ...]) -> None:
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
