"""Keras LSTM weights ⇄ PyTorch `nn.LSTM` weights, in NumPy (PyTorch itself not needed).

Keras keeps three arrays: kernel (F, 4U), recurrent_kernel (U, 4U) and one bias (4U,).
PyTorch's `nn.LSTM` keeps weight_ih_l0 (4U, F), weight_hh_l0 (4U, U) and two biases
bias_ih_l0 and bias_hh_l0 (4U,) that are always added together. Both order the gates
input, forget, cell candidate, output, so converting is transposing, and splitting or
summing the bias. This script converts both ways and checks the numbers: PyTorch's
equations, written in NumPy, reproduce the Keras layer.

Run it with:  python examples/pytorch_weights.py
Load the result into PyTorch with `torch_lstm.load_state_dict({k: torch.from_numpy(v) ...})`
on `nn.LSTM(F, U, batch_first=True)`.
"""

import keras
import numpy as np

TIMESTEPS, FEATURES, UNITS = 5, 3, 8


def keras_to_torch(kernel, recurrent_kernel, bias):
    """Keras's `layer.get_weights()` as an `nn.LSTM` state dict (1 layer)."""
    # Keras has one bias: put it all in bias_ih, and zeros in bias_hh.
    return {
        "weight_ih_l0": kernel.T.copy(),
        "weight_hh_l0": recurrent_kernel.T.copy(),
        "bias_ih_l0": bias.copy(),
        "bias_hh_l0": np.zeros_like(bias),
    }


def torch_to_keras(state_dict):
    """An `nn.LSTM` state dict as the list `layer.set_weights()` takes."""
    # PyTorch always adds its two biases: Keras gets their sum.
    bias = state_dict["bias_ih_l0"] + state_dict["bias_hh_l0"]
    return [state_dict["weight_ih_l0"].T, state_dict["weight_hh_l0"].T, bias]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def torch_lstm_forward(x, state_dict):
    """`nn.LSTM(batch_first=True)(x)`: PyTorch's documented equations, NumPy.

    Returns (output, (h_n, c_n)) with PyTorch's shapes:
    (batch, T, U) and (1, batch, U).
    """
    w_ih, w_hh = state_dict["weight_ih_l0"], state_dict["weight_hh_l0"]
    b_ih, b_hh = state_dict["bias_ih_l0"], state_dict["bias_hh_l0"]
    batch, units = x.shape[0], w_hh.shape[1]
    h = np.zeros((batch, units), dtype=x.dtype)
    c = np.zeros((batch, units), dtype=x.dtype)
    outputs = []
    for t in range(x.shape[1]):
        gates = x[:, t] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        i, f, g, o = np.split(gates, 4, axis=-1)  # input, forget, cell, output
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        outputs.append(h)
    return np.stack(outputs, axis=1), (h[None], c[None])


def main() -> dict[str, float]:
    """Convert both ways; return the largest difference in each direction."""
    keras.utils.set_random_seed(0)
    x = (
        np.random.default_rng(0)
        .normal(size=(2, TIMESTEPS, FEATURES))
        .astype(np.float32)
    )
    layer = keras.layers.LSTM(UNITS, return_sequences=True, return_state=True)
    sequence, state_h, state_c = (np.asarray(t) for t in layer(x))

    # Keras -> PyTorch: same numbers from PyTorch's equations.
    state_dict = keras_to_torch(*layer.get_weights())
    for name, value in state_dict.items():
        print(f"{name:13} {value.shape}")
    output, (h_n, c_n) = torch_lstm_forward(x, state_dict)
    assert output.shape == sequence.shape
    assert h_n.shape == (1, *state_h.shape)
    np.testing.assert_allclose(output, sequence, atol=1e-5)
    np.testing.assert_allclose(h_n[0], state_h, atol=1e-5)
    np.testing.assert_allclose(c_n[0], state_c, atol=1e-5)
    to_torch = float(np.abs(output - sequence).max())
    print("Keras -> PyTorch: max |difference| =", to_torch)

    # PyTorch -> Keras: random PyTorch-style weights, two different biases.
    rng = np.random.default_rng(1)
    torch_weights = {
        key: rng.uniform(-0.3, 0.3, size=value.shape).astype(np.float32)
        for key, value in state_dict.items()
    }
    layer.set_weights(torch_to_keras(torch_weights))
    keras_sequence = np.asarray(layer(x)[0])
    torch_output, _ = torch_lstm_forward(x, torch_weights)
    np.testing.assert_allclose(keras_sequence, torch_output, atol=1e-5)
    to_keras = float(np.abs(keras_sequence - torch_output).max())
    print("PyTorch -> Keras: max |difference| =", to_keras)
    return {"keras_to_pytorch": to_torch, "pytorch_to_keras": to_keras}


if __name__ == "__main__":
    main()
