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


def _workers_seen(tmp_path: Path) -> tuple[int, set[str]]:
    """Run the test files in tmp_path on two workers: how many tests ran, on which workers."""
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
    names = [path.name for path in seen.iterdir()]
    return len(names), {name.split("-", 1)[1] for name in names}


def test_loadgroup_runs_a_group_on_one_worker(tmp_path):
    """pytest 9.2 made xdist drop every group silently (pytest-dev/pytest-xdist#1386)."""
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    ran, workers = _workers_seen(tmp_path)
    assert ran == 8
    assert len(workers) == 1, textwrap.shorten(f"group split over {workers}", 200)


#: Two files of tests that start kernels, marked as the suite marks them.
MARKED_KERNELS = """\
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.jupyter_kernels


@pytest.mark.parametrize("n", range(4))
def test_kernels(n):
    Path(os.environ["WORKERS_SEEN"], f"{__name__}{n}-{os.environ['PYTEST_XDIST_WORKER']}").touch()
"""

#: The suite's own grouping hook, nothing else of tests/conftest.py.
SUITE_HOOK = f"""\
import importlib.util

_spec = importlib.util.spec_from_file_location("suite_conftest", {str(TESTS / "conftest.py")!r})
_suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_suite)
pytest_collection_modifyitems = _suite.pytest_collection_modifyitems
"""


def test_the_suites_groups_reach_xdist(tmp_path):
    """tests/conftest.py adds its groups at collection; xdist reads them into the node ids in
    its own collection hook, so ours must run first, or every group it gives is dropped (the
    kernel tests ran on both workers at once, and each made its module's fixtures again)."""
    (tmp_path / "conftest.py").write_text(SUITE_HOOK)
    (tmp_path / "test_kernels_a.py").write_text(MARKED_KERNELS)
    (tmp_path / "test_kernels_b.py").write_text(MARKED_KERNELS)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers = jupyter_kernels\n")
    ran, workers = _workers_seen(tmp_path)
    assert ran == 8
    assert len(workers) == 1, textwrap.shorten(f"kernel tests split over {workers}", 200)
