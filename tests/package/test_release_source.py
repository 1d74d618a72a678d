"""The cuDNN GRU's states, read from Keras release source text (issue 30's scoped claim)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

from lstm_outputs.release_source import CUDNN_GRU_STATE_FIXED_IN, cudnn_gru_state

# The end of _cudnn_gru as Keras 3.0.0 to 3.11.2 wrote it, and as 3.11.3 writes it.
BARE = "def _cudnn_gru(a):\n    return (\n        last_output,\n        outputs,\n        state,\n    )\n"
LISTED = BARE.replace("        state,\n", "        [state],\n")


def release(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3])


def test_bare_and_listed_states_are_told_apart():
    assert cudnn_gru_state(BARE) == "state"
    assert cudnn_gru_state(LISTED) == "[state]"
    # Another function's return after _cudnn_gru is not read as the GRU's.
    after = "\ndef other():\n    return (last_output, outputs, state)\n"
    assert cudnn_gru_state(LISTED + after) == "[state]"


def test_the_installed_release_matches_the_fix_release():
    expected = (
        "[state]" if release(version("keras")) >= release(CUDNN_GRU_STATE_FIXED_IN) else "state"
    )
    assert cudnn_gru_state() == expected


def test_reading_the_source_imports_neither_keras_nor_tensorflow():
    code = (
        "import sys; from lstm_outputs.release_source import cudnn_gru_state; cudnn_gru_state();"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
