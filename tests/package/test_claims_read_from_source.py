"""The claim read from the source (claims.py's ``cudnn_gru_state``): what the TensorFlow
backend's cuDNN GRU returns as its states, told apart in release source text."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

import pytest
from lstm_site.version_matrix import CHANGES
from version_claims import claims

# The end of _cudnn_gru as Keras 3.0.0 to 3.11.2 wrote it, and as 3.11.3 writes it.
BARE = "def _cudnn_gru(a):\n    return (\n        last_output,\n        outputs,\n        state,\n    )\n"
LISTED = BARE.replace("        state,\n", "        [state],\n")


def release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3])


def test_bare_and_listed_states_are_told_apart():
    assert claims.gru_state_in_source(BARE) == "state"
    assert claims.gru_state_in_source(LISTED) == "[state]"
    # Another function's return after _cudnn_gru is not read as the GRU's.
    after = "\ndef other():\n    return (last_output, outputs, state)\n"
    assert claims.gru_state_in_source(LISTED + after) == "[state]"


def test_a_source_without_the_function_says_so():
    with pytest.raises(ValueError, match="no _cudnn_gru function"):
        claims.gru_state_in_source("def other():\n    pass\n")
    with pytest.raises(ValueError, match="states not found"):
        claims.gru_state_in_source("def _cudnn_gru(a):\n    return a\n")


def test_the_installed_releases_match_the_fix_release():
    (fixed_in, _, _), *_ = CHANGES["cudnn_gru_state"]
    expected = "[state]" if release(version("keras")) >= release(fixed_in) else "state"
    assert claims.installed_gru_state("keras") == expected
    assert claims.installed_gru_state("tf_keras") == "[state]"


def test_reading_the_source_imports_neither_keras_nor_tensorflow():
    code = (
        "import sys; from version_claims import claims; claims.installed_gru_state();"
        "claims.installed_gru_state('tf_keras');"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
