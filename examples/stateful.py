"""Stateful LSTM and ``initial_state``: two halves of a sequence give the whole.

A stateful layer keeps its final states between calls and starts the next call from
them, so feeding a sequence in two halves gives the same outputs as feeding it at once.
``initial_state`` does the same explicitly, without a stateful layer. ``reset_state()``
puts the states back to zeros.

Run it: ``python examples/stateful.py``.
"""

from __future__ import annotations

import keras
import numpy as np

BATCH, TIMESTEPS, FEATURES, UNITS = 2, 8, 3, 4
HALF = TIMESTEPS // 2


def lstm(**kwargs):
    return keras.layers.LSTM(
        UNITS,
        return_sequences=True,
        kernel_initializer=keras.initializers.GlorotUniform(seed=1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=2),
        **kwargs,
    )


def main():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(BATCH, TIMESTEPS, FEATURES)).astype("float32")
    first, second = x[:, :HALF], x[:, HALF:]

    # A stateful layer needs a fixed batch size: its states are variables.
    # The number of steps may stay open.
    inputs = keras.Input(batch_size=BATCH, shape=(None, FEATURES))
    stateful_lstm = lstm(stateful=True)
    model = keras.Model(inputs, stateful_lstm(inputs))

    # The same weights (same random seeds), not stateful, all 8 steps at once.
    whole = np.asarray(lstm()(x))

    stateful_lstm.reset_state()
    out_first = np.asarray(model(first))
    # The second call starts from the states the first one left.
    out_second = np.asarray(model(second))
    halves = np.concatenate([out_first, out_second], axis=1)
    np.testing.assert_allclose(halves, whole, atol=1e-6)

    # After reset_state() the second half starts from zeros, like a new layer.
    stateful_lstm.reset_state()
    assert all(np.all(np.asarray(s) == 0) for s in stateful_lstm.states)
    from_zeros = np.asarray(model(second))
    fresh = np.asarray(lstm()(second))
    np.testing.assert_allclose(from_zeros, fresh, atol=1e-6)
    assert not np.allclose(from_zeros, out_second, atol=1e-3)

    # initial_state does the same without a stateful layer: pass the states
    # the first half ended with.
    carrier = lstm(return_state=True)
    seq_first, h, c = carrier(first)
    seq_second, _, _ = carrier(second, initial_state=[h, c])
    explicit = np.concatenate([seq_first, seq_second], axis=1)
    np.testing.assert_allclose(explicit, whole, atol=1e-6)

    return {
        "x": x,
        "whole": whole,
        "halves": halves,
        "from_zeros": from_zeros,
        "half": HALF,
    }


if __name__ == "__main__":
    results = main()
    gap = np.max(np.abs(results["halves"] - results["whole"]))
    print(
        "two halves through a stateful LSTM vs the whole sequence: "
        f"max difference {gap:.1e}"
    )
    print("reset_state() and initial_state: checked")
