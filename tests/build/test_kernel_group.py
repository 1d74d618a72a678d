"""Every test file that starts Jupyter kernels marks its tests ``jupyter_kernels``, which puts
them in one pytest-xdist group (tests/conftest.py): with two workers, two kernel starts at
once raced for the same ports ("ZMQError: Address already in use")."""

from __future__ import annotations

import re
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
