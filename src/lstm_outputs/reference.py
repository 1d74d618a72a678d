"""A NumPy LSTM forward pass that reproduces Keras from the layer's weights.

Keras stores an LSTM's weights as ``kernel`` ``(F, 4U)``, ``recurrent_kernel``
``(U, 4U)`` and ``bias`` ``(4U,)``, with the four gate blocks in the order
input ``i``, forget ``f``, candidate ``c`` and output ``o``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from lstm_outputs.validation import check_inputs

GATE_ORDER = ("i", "f", "c", "o")


class ReferenceResult(NamedTuple):
    """What the reference computes: every hidden state, and the last ``h`` and ``c``."""

    sequence: np.ndarray
    last_hidden: np.ndarray
    last_cell: np.ndarray


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function Keras 3 uses as the LSTM's recurrent activation.

    >>> float(sigmoid(np.array(0.0)))
    0.5
    """
    return 1.0 / (1.0 + np.exp(-x))


def lstm_forward(
    inputs,
    kernel: np.ndarray,
    recurrent_kernel: np.ndarray,
    bias: np.ndarray,
    initial_state: tuple[np.ndarray, np.ndarray] | None = None,
) -> ReferenceResult:
    """Run an LSTM over ``inputs`` ``(batch, timesteps, features)`` in float64.

    The constant-initialiser tutorial's layer: every kernel weight 0.1 and
    one unit. Its bias is ``Constant(0)``, but Keras's
    ``unit_forget_bias=True`` sets the forget gate's bias to 1, so the bias
    is ``[i, f, c, o] = [0, 1, 0, 0]``.

    >>> x = np.array([0.1, 0.2, 0.3, 0.1, 0.2, 0.3]).reshape((1, 3, 2))
    >>> bias = np.array([0.0, 1.0, 0.0, 0.0])
    >>> result = lstm_forward(x, np.full((2, 4), 0.1), np.full((1, 4), 0.1), bias)
    >>> np.round(result.sequence[0, :, 0], 8)
    array([0.00772376, 0.01633997, 0.02572775])
    >>> np.round(result.last_cell, 8)
    array([[0.05020291]])
    """
    kernel = np.asarray(kernel, dtype="float64")
    units = kernel.shape[1] // 4
    x = check_inputs("inputs", inputs, features=kernel.shape[0]).astype("float64")
    _check_weight("recurrent_kernel", recurrent_kernel, (units, 4 * units))
    _check_weight("bias", bias, (4 * units,))
    batch = x.shape[0]
    if initial_state is None:
        h = np.zeros((batch, units))
        c = np.zeros((batch, units))
    else:
        h, c = (np.asarray(s, dtype="float64") for s in initial_state)
    hidden_states = []
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent_kernel + bias
        zi, zf, zc, zo = np.split(z, 4, axis=-1)
        c = sigmoid(zf) * c + sigmoid(zi) * np.tanh(zc)
        h = sigmoid(zo) * np.tanh(c)
        hidden_states.append(h)
    return ReferenceResult(np.stack(hidden_states, axis=1), h, c)


def lstm_forward_from_layer(layer, inputs) -> ReferenceResult:
    """Run the reference with the weights of a built Keras ``LSTM`` layer.

    >>> from lstm_outputs.models import build_layer
    >>> layer = build_layer(3)
    >>> x = np.ones((2, 5, 4), dtype="float32")
    >>> keras_h = np.asarray(layer(x))
    >>> bool(np.allclose(lstm_forward_from_layer(layer, x).last_hidden, keras_h, atol=1e-6))
    True
    """
    config = layer.get_config()
    expected = {"activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True}
    for key, value in expected.items():
        if config.get(key) != value:
            raise ValueError(
                f"layer must have {key}={value!r} for the reference, got {config.get(key)!r}"
            )
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in layer.get_weights())
    return lstm_forward(inputs, kernel, recurrent_kernel, bias)


def _check_weight(name: str, weight, shape: tuple[int, ...]) -> None:
    actual = np.shape(weight)
    if actual != shape:
        raise ValueError(f"{name} must have shape {shape}, got {actual}")
