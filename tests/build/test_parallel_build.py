"""Pages executed two at a time (``sphinx-build -j``) are each cached once, and stay cached.

A scratch copy of docs/ (the real conf.py and extensions) with eight tiny pages, built from
an empty cache with the docs session's arguments: the build succeeds, the cache holds every
page, and re-reading every page (``-E``) executes none. Guards lstm_site.execution.parallel_pages.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from site_tools import sphinx_build

# Its builds start Jupyter kernels: one xdist group for all such tests (tests/conftest.py).
pytestmark = pytest.mark.jupyter_kernels

ROOT = Path(__file__).resolve().parents[2]
PAGES = 8

FRONT_MATTER = (
    "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n"
)


def test_a_parallel_cold_build_caches_every_page_once(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("_build", "*.md"))
    (docs / "index.md").write_text("# Scratch\n\n```{toctree}\n:glob:\n\npage-*\n```\n")
    for i in range(PAGES):
        cell = f"```{{code-cell}} ipython3\nimport time\n\ntime.sleep(0.2)\nprint({i})\n```\n"
        (docs / f"page-{i}.md").write_text(f"{FRONT_MATTER}\n# Page {i}\n\n{cell}")
    command = sphinx_build.command(docs, docs / "_build" / "html", doctrees=None)

    cold = subprocess.run(command, capture_output=True, text=True, check=False)
    assert cold.returncode == 0, cold.stdout + cold.stderr
    assert cold.stdout.count("Executing notebook using") == PAGES
    with sqlite3.connect(docs / "_build" / ".jupyter_cache" / "global.db") as db:
        records = db.execute("SELECT uri FROM nbcache").fetchall()
    assert sorted(Path(uri).name for (uri,) in records) == [f"page-{i}.md" for i in range(PAGES)]

    reread = subprocess.run(
        [*command[:3], "-E", *command[3:]], capture_output=True, text=True, check=False
    )
    assert reread.returncode == 0, reread.stdout + reread.stderr
    assert "Executing notebook using" not in reread.stdout
