"""``nox -s tests`` runs two pytest-xdist workers with ``--dist loadgroup`` (tests/conftest.py
gives the groups). The groups matter: every test that starts Jupyter kernels is in one, since
two kernel starts at once raced for the same ports ("ZMQError: Address already in use"), and
a page's browser tests are in one, so its visit is made once."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
#: What starts kernels: the site's sphinx-build (it executes notebook pages), an nbclient run.
STARTS_KERNELS = re.compile(r"\bsphinx_build\.|NotebookClient\(")
MARKED = re.compile(r"pytest\.mark\.jupyter_kernels\b")


def test_every_file_that_starts_kernels_is_marked():
    unmarked = [
        path.relative_to(TESTS).as_posix()
        for path in sorted(TESTS.rglob("test_*.py"))
        if path.name != Path(__file__).name
        and STARTS_KERNELS.search(path.read_text(encoding="utf-8"))
        and not MARKED.search(path.read_text(encoding="utf-8"))
    ]
    assert unmarked == []


GROUPED = """\
import os
from pathlib import Path

import pytest


@pytest.mark.xdist_group("one")
@pytest.mark.parametrize("n", range(8))
def test_grouped(n):
    Path(os.environ["WORKERS_SEEN"], f"{n}-{os.environ['PYTEST_XDIST_WORKER']}").touch()
"""


def test_loadgroup_runs_a_group_on_one_worker(tmp_path):
    """pytest 9.2 made xdist drop every group silently (pytest-dev/pytest-xdist#1386)."""
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    seen = tmp_path / "seen"
    seen.mkdir()
    two_workers = ["-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *two_workers, str(tmp_path)],
        cwd=tmp_path,
        env={"WORKERS_SEEN": str(seen), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workers = {name.split("-", 1)[1] for name in (p.name for p in seen.iterdir())}
    assert len(list(seen.iterdir())) == 8
    assert len(workers) == 1, textwrap.shorten(f"group split over {workers}", 200)
