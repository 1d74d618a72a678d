"""run_on_backend's subprocess gives the same answer as run_here in this process.

The JAX and NumPy backends are compared on docs/reference/keras-backends.md, PyTorch's
by `nox -s crosscheck`: the test environment installs neither JAX nor PyTorch.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_outputs.backends import run_here, run_on_backend


def test_subprocess_matches_this_process():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 5, 3)).astype("float32")
    weights = (rng.normal(size=(3, 8)), rng.normal(size=(2, 8)), rng.normal(size=8))
    here = run_here(x, *weights)
    there = run_on_backend("tensorflow", x, *weights)
    assert there["backend"] == "tensorflow"
    for name in ("sequence", "state_h", "state_c"):
        np.testing.assert_allclose(there[name], here[name], atol=1e-5)


def test_unknown_backend():
    with pytest.raises(ValueError, match="backend must be one of"):
        run_on_backend("mxnet", np.zeros((1, 1, 1)), np.zeros((1, 4)), np.zeros((1, 4)), [0] * 4)
