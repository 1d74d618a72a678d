"""Claims read from a Keras release's source text, for what a CPU cannot run (cuDNN paths).

Nothing here imports Keras or TensorFlow: the source file is located with ``importlib.util``
and read as text, so a claim can be checked for any installed release (the version matrix
runs :func:`cudnn_gru_state` once per release).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

#: The release from which the TensorFlow backend's cuDNN GRU returns its state in a list,
#: as every other kernel does (keras-team/keras#21603, for keras-team/keras#20173).
CUDNN_GRU_STATE_FIXED_IN = "3.11.3"

#: Where the TensorFlow backend's recurrent kernels live, newest layout first (Keras 3.0 to
#: 3.2 had no ``src`` package).
TENSORFLOW_RNN_PATHS = ("src/backend/tensorflow/rnn.py", "backend/tensorflow/rnn.py")

_RETURN = re.compile(r"return \(\s*last_output,\s*outputs,\s*(\[state\]|state),?\s*\)")


def installed_tensorflow_rnn_source() -> str:
    """The text of the installed Keras's ``backend/tensorflow/rnn.py``, without importing it.

    >>> "def _cudnn_gru(" in installed_tensorflow_rnn_source()
    True
    """
    spec = importlib.util.find_spec("keras")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("keras is not installed")
    package = Path(spec.origin).parent
    for relative in TENSORFLOW_RNN_PATHS:
        if (package / relative).is_file():
            return (package / relative).read_text()
    raise FileNotFoundError(f"no TensorFlow rnn.py under {package}")


def cudnn_gru_state(source: str | None = None) -> str:
    """What the TensorFlow backend's cuDNN GRU returns as its states: ``"[state]"`` (a list
    of one ``(batch, units)`` tensor, as on every other kernel) or ``"state"`` (the tensor
    bare, which the layer then unpacks row by row: Keras 3.0 to 3.11.2).

    ``source`` is the text of ``backend/tensorflow/rnn.py``; by default, the installed one's.

    >>> cudnn_gru_state("def _cudnn_gru(x):\\n    return (\\n        last_output,\\n"
    ...                 "        outputs,\\n        state,\\n    )\\n")
    'state'
    >>> cudnn_gru_state("def _cudnn_gru(x):\\n    return (last_output, outputs, [state])\\n")
    '[state]'
    >>> cudnn_gru_state() == "[state]"  # the installed release
    True
    """
    text = installed_tensorflow_rnn_source() if source is None else source
    start = text.find("def _cudnn_gru(")
    if start < 0:
        raise ValueError("source has no _cudnn_gru function")
    end = text.find("\ndef ", start + 1)
    found = _RETURN.search(text[start : end if end > 0 else len(text)])
    if found is None:
        raise ValueError("_cudnn_gru's return statement not found")
    return found.group(1)
