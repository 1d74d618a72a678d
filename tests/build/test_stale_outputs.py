"""A page whose package code changed is re-executed, whichever build saw the change first.

The execution cache keys a page on its own cells; the build also stamps the package (src/)
and examples/, so a change there re-executes the pages that run them. The offline and
determinism sessions build with their own cache (``-D nb_execution_cache_path=...``): such a
build must neither read nor move the stamps of the site's own cache. Reproduced here in a
scratch copy of the repository with one tiny page that prints a meaning string from
``src/lstm_outputs/configs.py``: site build, edit the string, a ``-D`` build elsewhere, the
site build again, which must show the new text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from site_tools import sphinx_build

# Its builds start Jupyter kernels: one xdist group for all such tests (tests/conftest.py).
pytestmark = pytest.mark.jupyter_kernels

ROOT = Path(__file__).resolve().parents[2]

FRONT_MATTER = (
    "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n"
)
PAGE = (
    FRONT_MATTER
    + "\n# Meaning\n\n```{code-cell} ipython3\n"
    + "from lstm_outputs.configs import MEANINGS\n\nprint(MEANINGS['state_c'])\n```\n"
)
OLD, NEW = "last cell state c_T", "the cell state after the last step, c_T"


def _run(command: list[str], root: Path) -> subprocess.CompletedProcess[str]:
    # The scratch copy's package shadows the installed (editable) one, in Sphinx and kernel.
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_package_edit_seen_first_by_a_D_build_still_reexecutes_the_site(tmp_path):
    root = tmp_path / "repo"
    docs = root / "docs"
    ignore = shutil.ignore_patterns("_build", "*.md", "jupyter_execute", "__pycache__")
    shutil.copytree(ROOT / "docs", docs, ignore=ignore)
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    (docs / "index.md").write_text("# Scratch\n\n```{toctree}\nmeaning\n```\n")
    (docs / "meaning.md").write_text(PAGE)
    site = sphinx_build.command(
        docs, docs / "_build" / "html", doctrees=docs / "_build" / "doctrees"
    )
    page = docs / "_build" / "html" / "meaning.html"

    first = _run(site, root)
    assert first.stdout.count("Executing notebook using") == 1
    assert OLD in page.read_text(encoding="utf-8")

    configs = root / "src" / "lstm_outputs" / "configs.py"
    configs.write_text(configs.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    other = tmp_path / "other"
    _run(
        sphinx_build.into(other, docs),
        root,
    )
    assert NEW in (other / "html" / "meaning.html").read_text(encoding="utf-8")

    again = _run(site, root)
    assert again.stdout.count("Executing notebook using") == 1, again.stdout
    shown = page.read_text(encoding="utf-8")
    assert NEW in shown
    assert OLD not in shown
