"""Run one Keras LSTM, with given weights, on a chosen Keras backend.

Keras picks its backend once per process, from the ``KERAS_BACKEND``
environment variable, so :func:`run_on_backend` starts a fresh Python process
for each backend: ``python -m lstm_outputs.backends IN.npz OUT.npz``. The
backend's library must be installed: ``jax`` for JAX (Keras's NumPy backend
imports JAX and SciPy too), ``torch`` for PyTorch.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from lstm_outputs.validation import check_choice, check_inputs

#: The Keras 3 backends this module can run.
BACKENDS = ("tensorflow", "jax", "torch", "numpy")

_NAMES = ("sequence", "state_h", "state_c")


def run_on_backend(
    backend: str, inputs, kernel, recurrent_kernel, bias, *, timeout: float = 300
) -> dict[str, np.ndarray]:
    """``LSTM(U, return_sequences=True, return_state=True)`` on ``backend``, by name.

    The weights are Keras's ``[kernel, recurrent_kernel, bias]``. The layer runs in
    a subprocess with ``KERAS_BACKEND=backend``; its outputs come back as float32
    NumPy arrays along with the backend's name and library version.

    >>> x = np.ones((2, 3, 4), dtype="float32")
    >>> out = run_on_backend("tensorflow", x, np.zeros((4, 8)), np.zeros((2, 8)), np.zeros(8))
    >>> out["backend"], out["sequence"].shape, out["state_c"].shape
    ('tensorflow', (2, 3, 2), (2, 2))
    """
    check_choice("backend", backend, BACKENDS)
    values = check_inputs("inputs", inputs)
    with tempfile.TemporaryDirectory() as folder:
        request, answer = Path(folder, "in.npz"), Path(folder, "out.npz")
        np.savez(
            request,
            inputs=values,
            kernel=np.asarray(kernel, "float32"),
            recurrent_kernel=np.asarray(recurrent_kernel, "float32"),
            bias=np.asarray(bias, "float32"),
        )
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
        done = subprocess.run(
            [sys.executable, "-m", "lstm_outputs.backends", str(request), str(answer)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"Keras on the {backend} backend failed (exit {done.returncode}):\n"
                + done.stderr[-2000:]
            )
        with np.load(answer) as result:
            out: dict = {name: result[name] for name in _NAMES}
            out["backend"] = str(result["backend"])
            out["version"] = str(result["version"])
    return out


def run_here(inputs, kernel, recurrent_kernel, bias) -> dict[str, np.ndarray]:
    """The same as :func:`run_on_backend`, in this process, on its Keras backend.

    >>> x = np.ones((2, 3, 4), dtype="float32")
    >>> out = run_here(x, np.zeros((4, 8)), np.zeros((2, 8)), np.zeros(8))
    >>> out["sequence"].shape, out["state_h"].shape
    ((2, 3, 2), (2, 2))
    """
    from lstm_outputs.keras_import import import_keras

    keras = import_keras()
    backend = keras.backend.backend()
    values = check_inputs("inputs", inputs)
    weights = [np.asarray(w, "float32") for w in (kernel, recurrent_kernel, bias)]
    layer = keras.layers.LSTM(weights[0].shape[1] // 4, return_sequences=True, return_state=True)
    layer.build(values.shape)
    layer.set_weights(weights)
    outputs = [keras.ops.convert_to_numpy(t) for t in layer(values)]
    result: dict = dict(zip(_NAMES, outputs, strict=True))
    result["backend"] = backend
    result["version"] = __import__(backend).__version__
    return result


def _run(request: Path, answer: Path) -> None:
    """The subprocess's side: load the request, run the layer, save the answer."""
    with np.load(request) as data:
        args = [data[k] for k in ("inputs", "kernel", "recurrent_kernel", "bias")]
    np.savez(answer, **run_here(*args))


if __name__ == "__main__":  # pragma: no cover - run by run_on_backend
    _run(Path(sys.argv[1]), Path(sys.argv[2]))
