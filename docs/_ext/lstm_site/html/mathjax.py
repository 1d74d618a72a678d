"""MathJax served from the site itself, so formulas render offline and from ``file://``.

MathJax 3 comes from the ``django-static-mathjax`` wheel (plain files, no Django needed);
conf.py's ``mathjax_path`` points at the copy. The SVG output needs no web fonts.
"""

from __future__ import annotations

import shutil
from importlib.util import find_spec
from pathlib import Path

#: What the SVG output loads: the entry script and the folders it reads components from.
PARTS = ("tex-svg.js", "input", "ui", "a11y", "sre")


def mathjax_folder() -> Path:
    """The installed MathJax 3 ``es5`` folder."""
    return Path(find_spec("mathjax").submodule_search_locations[0]) / "static" / "mathjax" / "es5"


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source, target = mathjax_folder(), Path(app.outdir) / "_static" / "mathjax"
    for part in PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / part, target / part)
