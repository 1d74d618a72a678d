"""The four output configurations of a Keras LSTM layer, side by side.

`return_sequences` and `return_state` decide what `keras.layers.LSTM`
returns. This script builds all four combinations with the same weights,
runs them on one batch, prints what each returns, and checks the facts
that connect them.

Run it with:  python examples/four_configurations.py
"""

import keras
import numpy as np

SAMPLES, TIMESTEPS, FEATURES, UNITS = 100, 4, 10, 16


def make_lstm(return_sequences: bool, return_state: bool) -> keras.layers.LSTM:
    """An LSTM whose weights depend only on random seeds, not on the flags."""
    return keras.layers.LSTM(
        UNITS,
        return_sequences=return_sequences,
        return_state=return_state,
        kernel_initializer=keras.initializers.GlorotUniform(seed=1),
        recurrent_initializer=keras.initializers.Orthogonal(seed=2),
    )


def main() -> None:
    rng = np.random.default_rng(1)
    batch = rng.random((SAMPLES, TIMESTEPS, FEATURES), dtype=np.float32)

    results = {}
    for return_sequences, return_state in [
        (False, False),
        (True, False),
        (False, True),
        (True, True),
    ]:
        flags = {
            "return_sequences": return_sequences,
            "return_state": return_state,
        }
        outputs = make_lstm(**flags)(batch)
        # One tensor, unless return_state=True: then a tuple
        # (output, state_h, state_c).
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        results[return_sequences, return_state] = [
            np.asarray(t) for t in outputs
        ]
        call = ", ".join(
            [str(UNITS)] + [f"{k}=True" for k, v in flags.items() if v]
        )
        print(f"LSTM({call})")
        print("  returns", ", ".join(str(t.shape) for t in outputs))

    last_hidden = results[False, False][0]
    sequence = results[True, False][0]
    _, state_h, state_c = results[False, True]
    both_sequence, both_h, both_c = results[True, True]

    assert last_hidden.shape == (SAMPLES, UNITS)
    assert sequence.shape == (SAMPLES, TIMESTEPS, UNITS)
    assert state_h.shape == state_c.shape == (SAMPLES, UNITS)
    # The default output is the sequence's last timestep ...
    np.testing.assert_allclose(last_hidden, sequence[:, -1], atol=1e-6)
    # ... and return_state returns that same h_T again, as state_h,
    # with the cell state c_T.
    np.testing.assert_array_equal(results[False, True][0], state_h)
    np.testing.assert_allclose(state_h, last_hidden, atol=1e-6)
    np.testing.assert_allclose(both_h, both_sequence[:, -1], atol=1e-6)
    np.testing.assert_allclose(both_c, state_c, atol=1e-6)
    assert not np.allclose(state_c, state_h), (
        "c_T is a different tensor from h_T"
    )
    print("checked: output == sequence[:, -1] == state_h")
    print("checked: state_c is the cell state c_T, a different tensor")


if __name__ == "__main__":
    main()
