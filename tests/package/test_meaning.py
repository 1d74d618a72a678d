"""What each returned tensor holds depends on the layer, the wrapper and the merge mode."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_outputs import meaning, returned_tensors
from lstm_outputs.cli import main

EXAMPLE = ["--units", "4", "--timesteps", "5", "--features", "3", "--bidirectional"]


@pytest.mark.parametrize(
    ("merge_mode", "last_hidden"),
    [
        ("concat", "[forward h_T, backward h at timestep 0], concatenated"),
        ("sum", "forward h_T + backward h at timestep 0"),
        ("mul", "forward h_T * backward h at timestep 0, element by element"),
        ("ave", "(forward h_T + backward h at timestep 0) / 2"),
    ],
)
def test_bidirectional_last_hidden_depends_on_merge_mode(capsys, merge_mode, last_hidden):
    assert meaning("last_hidden", bidirectional=True, merge_mode=merge_mode) == last_hidden
    main([*EXAMPLE, "--merge-mode", merge_mode])
    row = capsys.readouterr().out.splitlines()[1]
    assert row.split()[0] == "last_hidden"
    assert row.endswith(last_hidden)


def test_plain_and_unmerged_meanings_keep_h_T():
    assert meaning("last_hidden").endswith("h_T")
    (sequence,) = returned_tensors(4, 5, return_sequences=True, bidirectional=True)
    assert sequence.meaning == "at every timestep t, [forward h_t, backward h_t], concatenated"
    unmerged = returned_tensors(4, bidirectional=True, merge_mode=None)
    assert [t.name for t in unmerged] == ["forward_last_hidden", "backward_last_hidden"]
    assert "timestep 0" in unmerged[1].meaning


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"^name must be one of"):
        meaning("output")
    with pytest.raises(ValueError, match=r"^name must be a tensor GRU returns"):
        meaning("state_c", "GRU")
    with pytest.raises(ValueError, match=r"^merge_mode must be one of"):
        meaning("last_hidden", bidirectional=True, merge_mode="max")


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave"])
def test_meanings_match_keras(merge_mode):
    import keras

    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")

    def bidirectional(mode, **flags):
        return keras.layers.Bidirectional(
            keras.layers.LSTM(
                4,
                kernel_initializer=keras.initializers.GlorotUniform(seed=1),
                recurrent_initializer=keras.initializers.Orthogonal(seed=2),
                **flags,
            ),
            merge_mode=mode,
        )

    merge = {
        "concat": lambda f, b: np.concatenate([f, b], axis=-1),
        "sum": np.add,
        "mul": np.multiply,
        "ave": lambda f, b: (f + b) / 2,
    }[merge_mode]
    last_hidden, forward_h, _, backward_h, _ = (
        np.asarray(t) for t in bidirectional(merge_mode, return_state=True)(x)
    )
    np.testing.assert_allclose(last_hidden, merge(forward_h, backward_h), atol=1e-6)
    sequence = np.asarray(bidirectional(merge_mode, return_sequences=True)(x))
    forward_seq, backward_seq = (
        np.asarray(t) for t in bidirectional(None, return_sequences=True)(x)
    )
    np.testing.assert_allclose(sequence, merge(forward_seq, backward_seq), atol=1e-6)
    # The backward layer's final state is its output at the first timestep, timestep 0.
    np.testing.assert_allclose(backward_seq[:, 0], backward_h, atol=1e-6)
