"""Masking right-padded sequences: padded steps carry the state, the last state is the
last *valid* step's.

Three sequences of different lengths are padded with zeros to the same length and fed
through ``Masking`` into an LSTM. Each sample's returned ``state_h`` and ``state_c`` equal
what the LSTM gives on that sample alone, unpadded; at padded steps the output repeats the
last valid step's. That repetition is the generic kernel's, so the layer asks for it
(``use_cudnn=False``): on a GPU, TensorFlow's cuDNN kernel writes zeros at padded steps, and
so does ``Bidirectional(..., return_sequences=True)`` on every device.

Run it: ``python examples/masking.py``.
"""

from __future__ import annotations

import keras
import numpy as np

LENGTHS = (2, 5, 3)  # the real length of each sequence
TIMESTEPS, FEATURES, UNITS = 6, 3, 4


def padded_batch(seed: int = 0):
    """Random sequences of the given lengths, right-padded with zeros."""
    rng = np.random.default_rng(seed)
    x = np.zeros((len(LENGTHS), TIMESTEPS, FEATURES), dtype="float32")
    for i, length in enumerate(LENGTHS):
        x[i, :length] = rng.uniform(
            0.1, 1.0, size=(length, FEATURES)
        )  # no all-zero real step
    return x


def main():
    x = padded_batch()
    lstm = keras.layers.LSTM(
        UNITS,
        return_sequences=True,
        return_state=True,
        use_cudnn=False,  # the generic kernel, on a GPU too
        kernel_initializer=keras.initializers.GlorotUniform(seed=1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=2),
    )
    masking = keras.layers.Masking(mask_value=0.0)
    sequence, state_h, state_c = (np.asarray(t) for t in lstm(masking(x)))
    unmasked_sequence = np.asarray(
        lstm(x)[0]
    )  # the same layer, padding read as input

    for i, length in enumerate(LENGTHS):
        # The returned state is the state after the last valid step ...
        np.testing.assert_allclose(
            state_h[i], sequence[i, length - 1], atol=1e-6
        )
        alone_sequence, alone_h, alone_c = lstm(
            x[i : i + 1, :length]
        )  # no padding at all
        np.testing.assert_allclose(
            state_h[i], np.asarray(alone_h)[0], atol=1e-6
        )
        np.testing.assert_allclose(
            state_c[i], np.asarray(alone_c)[0], atol=1e-6
        )
        np.testing.assert_allclose(
            sequence[i, :length], np.asarray(alone_sequence)[0], atol=1e-6
        )
        # ... and, on the generic kernel, every padded step repeats it.
        for t in range(length, TIMESTEPS):
            np.testing.assert_array_equal(
                sequence[i, t], sequence[i, length - 1]
            )
        # Without the mask, the zeros are read as input and change the state.
        if length < TIMESTEPS:
            assert not np.allclose(
                unmasked_sequence[i, -1], state_h[i], atol=1e-3
            )

    return {
        "x": x,
        "lengths": LENGTHS,
        "sequence": sequence,
        "unmasked_sequence": unmasked_sequence,
        "state_h": state_h,
        "state_c": state_c,
    }


if __name__ == "__main__":
    results = main()
    for length, h in zip(results["lengths"], results["state_h"], strict=True):
        print(
            f"length {length}: state_h = {np.round(h, 4)}"
            f" (the step-{length} state)"
        )
    print("every padded step repeats the last valid step's state: checked")
