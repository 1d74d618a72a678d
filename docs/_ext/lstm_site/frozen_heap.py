"""Garbage collection skips what a ``sphinx-build`` made at start-up, and its last pass.

Python's collector walks every tracked object again and again as a process grows; a build
grows by Sphinx's and the extensions' imports and the saved environment, then exits with
one last full collection over all of it. On the project's 2-core machine that was 0.4 s of
collecting, and 0.6 s of exiting, in a 4 s rebuild after an edit to one page.
``gc.freeze()`` moves the objects made so far to the permanent generation, which no
collection visits (and which the forked parallel readers then share instead of copying):

- when the site's extension is set up (the last that conf.py lists): Sphinx, conf.py, the
  other extensions and the objects they made;
- when the builder is ready: the extensions' imports and the saved environment;
- when the build has finished: everything, so the process ends without the last pass.

Only in a process that runs one build and exits (``sphinx-build``, ``python -m sphinx``,
each build of ``sphinx-autobuild``): one that ran builds in turn would keep each build's
reference cycles.
"""

from __future__ import annotations

import gc
import os
import sys

#: The program names of a process that runs one build and exits.
ONE_BUILD_PROGRAMS = ("sphinx-build", "sphinx")


def runs_one_build(program: str | None = None) -> bool:
    """Whether this process (or the one ``program`` names) runs one build and exits.

    >>> [runs_one_build(p) for p in ("sphinx-build", "sphinx.__main__", "pytest")]
    [True, True, False]
    """
    if program is None:
        spec = getattr(sys.modules.get("__main__"), "__spec__", None)
        program = spec.name if spec else os.path.basename(sys.argv[0])
    return program.split(".")[0] in ONE_BUILD_PROGRAMS


def freeze_heap(*_event_arguments) -> None:
    """Freeze what this build's process has made so far (a Sphinx event handler)."""
    if runs_one_build():
        gc.freeze()
