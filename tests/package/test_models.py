"""Real layers return what the package names them."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_outputs import CONFIGS
from lstm_outputs.models import NamedOutputs, run_layer

BATCH = np.random.default_rng(0).normal(size=(5, 4, 10)).astype("float32")


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_named_outputs_follow_keras_order(config):
    outputs = run_layer(
        BATCH, 16, return_sequences=config.return_sequences, return_state=config.return_state
    )
    assert outputs.names == config.returned_names
    assert len(outputs) == len(config.returned_names)
    for name, value in zip(outputs.names, outputs, strict=True):
        assert outputs[name] is value


def test_state_h_is_the_last_hidden_state_and_the_sequence_end():
    both = run_layer(BATCH, 16, return_sequences=True, return_state=True)
    state = run_layer(BATCH, 16, return_state=True)
    np.testing.assert_array_equal(state["last_hidden"], state["state_h"])
    np.testing.assert_allclose(both["sequence"][:, -1], both["state_h"], atol=1e-6)
    np.testing.assert_allclose(state["state_c"], both["state_c"], atol=1e-6)


def test_same_seed_same_outputs_other_seed_differs():
    first = run_layer(BATCH, 8, seed=1)["last_hidden"]
    np.testing.assert_array_equal(first, run_layer(BATCH, 8, seed=1)["last_hidden"])
    assert not np.allclose(first, run_layer(BATCH, 8, seed=2)["last_hidden"])


def test_named_outputs_key_error_lists_what_is_returned():
    outputs = NamedOutputs(("sequence",), (np.zeros((1, 2, 3)),))
    with pytest.raises(KeyError, match="state_c is not returned here"):
        outputs["state_c"]
