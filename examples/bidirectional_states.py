"""What Bidirectional(LSTM(..., return_state=True)) returns, and in which order.

Five tensors: the merged output, then forward h, forward c, backward h, backward c.
The backward LSTM reads the sequence from the last timestep to the first, so its *final*
state is the one it reaches at timestep 0 — the first row of the backward half of the
output, not the last. This script checks it against a plain LSTM given the backward
weights, run once with ``go_backwards=True`` and once on the time-reversed input.

Run it: ``python examples/bidirectional_states.py``.
"""

from __future__ import annotations

import keras
import numpy as np

BATCH, TIMESTEPS, FEATURES, UNITS = 2, 5, 3, 4


def lstm(**kwargs):
    """An LSTM with seeded weights, so every run gives the same numbers."""
    return keras.layers.LSTM(
        UNITS,
        kernel_initializer=keras.initializers.GlorotUniform(seed=1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=2),
        **kwargs,
    )


def main():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCH, TIMESTEPS, FEATURES)).astype("float32")

    bidirectional = keras.layers.Bidirectional(
        lstm(return_sequences=True, return_state=True)
    )
    returned = bidirectional(x)
    sequence, forward_h, forward_c, backward_h, backward_c = (
        np.asarray(t) for t in returned
    )
    assert len(returned) == 5
    # Each output row is [forward h_t | backward h_t].
    assert sequence.shape == (BATCH, TIMESTEPS, 2 * UNITS)
    forward_half, backward_half = sequence[..., :UNITS], sequence[..., UNITS:]

    # The forward direction ends at the last timestep, like a plain LSTM ...
    np.testing.assert_allclose(forward_half[:, -1], forward_h, atol=1e-6)
    # ... the backward direction ends at timestep 0.
    np.testing.assert_allclose(backward_half[:, 0], backward_h, atol=1e-6)
    assert not np.allclose(backward_half[:, -1], backward_h)

    # The same backward LSTM, outside the wrapper: copy the backward weights.
    weights = bidirectional.backward_layer.get_weights()
    going_backwards = lstm(
        return_sequences=True, return_state=True, go_backwards=True
    )
    going_backwards.build(x.shape)
    going_backwards.set_weights(weights)
    gb_sequence, gb_h, gb_c = (np.asarray(t) for t in going_backwards(x))
    np.testing.assert_allclose(gb_h, backward_h, atol=1e-6)
    np.testing.assert_allclose(gb_c, backward_c, atol=1e-6)
    # go_backwards returns its sequence in processing order;
    # Bidirectional flips it back into input order.
    np.testing.assert_allclose(gb_sequence[:, ::-1], backward_half, atol=1e-6)

    on_reversed = lstm(return_state=True)
    on_reversed.build(x.shape)
    on_reversed.set_weights(weights)
    _, reversed_h, reversed_c = (
        np.asarray(t) for t in on_reversed(x[:, ::-1])
    )
    np.testing.assert_allclose(reversed_h, backward_h, atol=1e-6)
    np.testing.assert_allclose(reversed_c, backward_c, atol=1e-6)

    # Without return_sequences the output is concat(forward h, backward h).
    last_only = keras.layers.Bidirectional(lstm(return_state=True))
    output, f_h, _, b_h, _ = (np.asarray(t) for t in last_only(x))
    np.testing.assert_allclose(
        output, np.concatenate([f_h, b_h], axis=-1), atol=1e-6
    )

    # merge_mode=None keeps the two directions apart: 6 tensors.
    unmerged = keras.layers.Bidirectional(
        lstm(return_sequences=True, return_state=True), merge_mode=None
    )(x)
    assert len(unmerged) == 6
    shapes = [tuple(t.shape) for t in unmerged]
    assert shapes == [(BATCH, TIMESTEPS, UNITS)] * 2 + [(BATCH, UNITS)] * 4

    return {
        "x": x,
        "sequence": sequence,
        "forward_h": forward_h,
        "forward_c": forward_c,
        "backward_h": backward_h,
        "backward_c": backward_c,
        "returned_shapes": [tuple(t.shape) for t in returned],
        "unmerged_shapes": [tuple(t.shape) for t in unmerged],
    }


if __name__ == "__main__":
    results = main()
    print(
        "Bidirectional(LSTM(return_sequences=True, return_state=True))"
        " returns:"
    )
    for name, shape in zip(
        ["output", "forward_h", "forward_c", "backward_h", "backward_c"],
        results["returned_shapes"],
        strict=True,
    ):
        print(f"  {name:<10} {shape}")
    print("backward_h == backward half of the output at timestep 0: checked")
