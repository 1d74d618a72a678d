"""Import Keras without TensorFlow's start-up log lines.

TensorFlow's C++ runtime writes ``I0000 ... port.cc`` and ``cudart_stub.cc``
lines straight to file descriptor 2 while it loads, before any Python logging
or ``TF_CPP_MIN_LOG_LEVEL`` setting can stop them, so they are silenced here
by pointing descriptor 2 elsewhere for the duration of the import.

It is also every page's prelude, one line in the page's first (hidden) cell::

    %load_ext lstm_outputs.keras_import

which imports Keras so, draws figures as reproducible SVG, and names the repository's
``examples/`` folder ``EXAMPLES`` for the pages that run a script from it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


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


def examples_folder(start: Path) -> Path | None:
    """The repository's ``examples/`` folder at or above ``start``, if there is one.

    >>> examples_folder(Path("/")) is None
    True
    """
    return next(
        (p / "examples" for p in [start, *start.parents] if (p / "examples").is_dir()), None
    )


def load_ipython_extension(ipython) -> None:
    """The page prelude (``%load_ext lstm_outputs.keras_import``).

    - TensorFlow's C++ log level 3: a harmless oneDNN notice at ERROR level on CPUs without
      AVX-512 stays off the page (the build's kernel sets it too; a downloaded notebook
      may run elsewhere);
    - Keras imported with TensorFlow's start-up lines silenced (:func:`import_keras`);
    - figures as SVG, with a fixed salt for element ids, so every build draws the same file;
    - ``EXAMPLES``: the repository's ``examples/`` folder, when the page runs inside it.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import_keras()
    import matplotlib
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    matplotlib.rcParams["svg.hashsalt"] = "lstm-outputs"
    set_matplotlib_formats("svg")
    examples = examples_folder(Path.cwd())
    if examples is not None:
        ipython.push({"EXAMPLES": examples})
