"""Time an LSTM's training steps with the cuDNN kernel allowed and with it switched off.

``use_cudnn="auto"`` (the default) lets Keras use the fused cuDNN kernel when a GPU is
visible and the layer's arguments allow it (TensorFlow, JAX and PyTorch backends);
``use_cudnn=False`` forces the generic kernel (a loop of matrix products over timesteps).
On a GPU the difference is the speed-up the cuDNN kernel buys; on a CPU with TensorFlow or
JAX both run the generic kernel (PyTorch's "auto" runs its own loop there). The device
reported is TensorFlow's view: "GPU" only with the TensorFlow backend.

Run it on the machine you want to measure::

    python examples/cudnn_speed.py            # full size: 128 timesteps, 256 units
    python examples/cudnn_speed.py --quick    # tiny sizes, a few seconds, for a smoke test

In a notebook, set the command line first: ``sys.argv = ["cudnn_speed.py", "--quick"]``.
"""

from __future__ import annotations

import argparse
import time

import keras
import numpy as np


def sizes(quick: bool) -> dict[str, int]:
    if quick:
        return {
            "batch": 16,
            "timesteps": 8,
            "features": 4,
            "units": 8,
            "steps": 3,
        }
    return {
        "batch": 256,
        "timesteps": 128,
        "features": 64,
        "units": 256,
        "steps": 30,
    }


def time_training(
    use_cudnn, *, batch, timesteps, features, units, steps, seed=0
) -> float:
    """Seconds per training step for one ``use_cudnn`` value.

    One warm-up step builds and traces the model first; it is not timed.
    """
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(timesteps, features)),
            keras.layers.LSTM(units, use_cudnn=use_cudnn),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, timesteps, features)).astype("float32")
    y = rng.normal(size=(batch, 1)).astype("float32")
    model.train_on_batch(x, y)  # builds and traces the step; not timed
    start = time.perf_counter()
    for _ in range(steps):
        model.train_on_batch(x, y)
    return (time.perf_counter() - start) / steps


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, for a smoke test"
    )
    args = parser.parse_args(argv)
    size = sizes(args.quick)
    gpus = keras.config.backend() == "tensorflow" and _gpus()
    results = {
        "device": "GPU" if gpus else "CPU",
        "sizes": size,
        "auto_s": time_training("auto", **size),
        "generic_s": time_training(False, **size),
    }
    results["speedup"] = results["generic_s"] / results["auto_s"]
    assert results["auto_s"] > 0
    assert results["generic_s"] > 0
    return results


def _gpus() -> list:
    import tensorflow as tf

    return tf.config.list_logical_devices("GPU")


if __name__ == "__main__":
    results = main()
    auto_ms, generic_ms = results["auto_s"] * 1e3, results["generic_s"] * 1e3
    print(f"device: {results['device']}; sizes: {results['sizes']}")
    print(f"use_cudnn='auto': {auto_ms:8.2f} ms per training step")
    print(f"use_cudnn=False : {generic_ms:8.2f} ms per training step")
    speedup = results["speedup"]
    print(f"speed-up of 'auto' over the generic kernel: {speedup:.2f}x")
