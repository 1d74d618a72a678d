"""The NumPy weight conversion against real ``torch.nn.LSTM`` (run by ``nox -s crosscheck``).

Proves to 1e-6, in both directions, that a Keras LSTM and a PyTorch LSTM holding
converted weights return the same sequence, last hidden state and last cell state,
and that Keras on its PyTorch backend returns what Keras on TensorFlow returns.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_outputs.backends import run_here, run_on_backend
from lstm_outputs.pytorch import keras_to_pytorch, pytorch_output_shapes, pytorch_to_keras
from lstm_outputs.reference import lstm_forward

torch = pytest.importorskip("torch")

TOLERANCE = 1e-6
SHAPES = [(1, 3, 2, 1), (4, 7, 10, 16), (3, 5, 6, 8)]  # batch, timesteps, features, units


def _inputs(batch, timesteps, features, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(batch, timesteps, features)).astype("float32")


def _torch_lstm(features, units, state_dict=None):
    lstm = torch.nn.LSTM(features, units, batch_first=True)
    if state_dict is not None:
        lstm.load_state_dict({k: torch.from_numpy(v) for k, v in state_dict.items()})
    return lstm


def _run_torch(lstm, x):
    with torch.no_grad():
        output, (h_n, c_n) = lstm(torch.from_numpy(x))
    return output.numpy(), h_n.numpy(), c_n.numpy()


def test_installed_torch_is_the_cpu_build():
    assert torch.__version__.startswith("2.13.0")
    assert not torch.cuda.is_available()


@pytest.mark.parametrize(("batch", "timesteps", "features", "units"), SHAPES)
def test_keras_to_pytorch(keras, batch, timesteps, features, units):
    keras.utils.set_random_seed(units)
    x = _inputs(batch, timesteps, features)
    layer = keras.layers.LSTM(
        units, return_sequences=True, return_state=True, bias_initializer="random_normal"
    )
    sequence, state_h, state_c = (np.asarray(t) for t in layer(x))
    lstm = _torch_lstm(features, units, keras_to_pytorch(*layer.get_weights()))
    output, h_n, c_n = _run_torch(lstm, x)
    assert (
        output.shape == pytorch_output_shapes(units, timesteps, batch, batch_first=True)["output"]
    )
    assert h_n.shape == c_n.shape == (1, batch, units)
    np.testing.assert_allclose(output, sequence, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(h_n[0], state_h, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(c_n[0], state_c, atol=TOLERANCE, rtol=0)


@pytest.mark.parametrize(("batch", "timesteps", "features", "units"), SHAPES)
def test_pytorch_to_keras(keras, batch, timesteps, features, units):
    torch.manual_seed(units)
    x = _inputs(batch, timesteps, features, seed=1)
    lstm = _torch_lstm(features, units)
    output, h_n, c_n = _run_torch(lstm, x)
    weights = pytorch_to_keras(lstm.state_dict())
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
    layer.build(x.shape)
    layer.set_weights(list(weights))
    sequence, state_h, state_c = (np.asarray(t) for t in layer(x))
    np.testing.assert_allclose(sequence, output, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(state_h, h_n[0], atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(state_c, c_n[0], atol=TOLERANCE, rtol=0)
    # The NumPy reference agrees too.
    reference = lstm_forward(x, *weights)
    np.testing.assert_allclose(reference.sequence, output, atol=TOLERANCE, rtol=0)


def test_pytorch_h_n_shape_with_layers_and_directions():
    lstm = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    with torch.no_grad():
        output, (h_n, c_n) = lstm(torch.zeros(7, 4, 3))
    expected = pytorch_output_shapes(5, 7, 4, num_layers=2, bidirectional=True)
    assert tuple(output.shape) == expected["output"]
    assert tuple(h_n.shape) == expected["h_n"]
    assert tuple(c_n.shape) == expected["c_n"]


def test_keras_torch_backend_matches_tensorflow_and_torch():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4, 6, 5)).astype("float32")
    weights = (
        rng.normal(size=(5, 32)).astype("float32") * 0.3,
        rng.normal(size=(8, 32)).astype("float32") * 0.3,
        rng.normal(size=32).astype("float32") * 0.1,
    )
    on_torch = run_on_backend("torch", x, *weights)
    assert on_torch["backend"] == "torch"
    assert on_torch["version"].startswith("2.13.0")
    on_tensorflow = run_here(x, *weights)
    output, h_n, c_n = _run_torch(_torch_lstm(5, 8, keras_to_pytorch(*weights)), x)
    for name, plain in zip(
        ("sequence", "state_h", "state_c"), (output, h_n[0], c_n[0]), strict=True
    ):
        np.testing.assert_allclose(on_torch[name], on_tensorflow[name], atol=TOLERANCE, rtol=0)
        np.testing.assert_allclose(on_torch[name], plain, atol=TOLERANCE, rtol=0)
