"""Import Keras without TensorFlow's start-up log lines.

TensorFlow's C++ runtime writes ``I0000 ... port.cc`` and ``cudart_stub.cc``
lines straight to file descriptor 2 while it loads, before any Python logging
or ``TF_CPP_MIN_LOG_LEVEL`` setting can stop them, so they are silenced here
by pointing descriptor 2 elsewhere for the duration of the import.
"""

from __future__ import annotations

import os
import sys
import tempfile


def import_keras():
    """Return the ``keras`` module, imported with TensorFlow's log lines silenced.

    If the import fails, whatever it printed is written to stderr before the
    error is raised, so nothing is hidden from a real failure.

    >>> keras = import_keras()
    >>> keras.__version__ >= "3"
    True
    """
    if "keras" in sys.modules:
        return sys.modules["keras"]
    sys.stderr.flush()
    saved_stderr = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import keras

            if keras.backend.backend() == "tensorflow":
                import tensorflow as tf

                # Touching the devices makes the runtime print its CUDA probe now.
                tf.config.list_physical_devices()
        except BaseException:
            os.dup2(saved_stderr, 2)
            captured.seek(0)
            sys.stderr.write(captured.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
    return keras
