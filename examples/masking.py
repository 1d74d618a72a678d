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
        # From 0.1 up, so no real step is all zeros (Masking would skip it).
        x[i, :length] = rng.uniform(0.1, 1.0, size=(length, FEATURES))
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
    # The same layer without the mask reads the padding as input.
    unmasked_sequence = np.asarray(lstm(x)[0])

    for i, length in enumerate(LENGTHS):
        last = length - 1
        # The returned state is the state after the last valid step ...
        np.testing.assert_allclose(state_h[i], sequence[i, last], atol=1e-6)
        # ... the same as for the sequence alone, with no padding at all ...
        alone = lstm(x[i : i + 1, :length])
        alone_sequence, alone_h, alone_c = (np.asarray(t)[0] for t in alone)
        np.testing.assert_allclose(state_h[i], alone_h, atol=1e-6)
        np.testing.assert_allclose(state_c[i], alone_c, atol=1e-6)
        np.testing.assert_allclose(
            sequence[i, :length], alone_sequence, atol=1e-6
        )
        # ... and, on the generic kernel, every padded step repeats it.
        for t in range(length, TIMESTEPS):
            np.testing.assert_array_equal(sequence[i, t], sequence[i, last])
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
