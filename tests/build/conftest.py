"""The build tests run sphinx-build on scratch copies of docs/, with the options every build
of the site uses (``lstm_site.build_rules``, importable once docs/_ext is on the path)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

pytest.importorskip("myst_nb", reason="the docs dependency group is not installed")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository the scratch copies are made from."""
    return ROOT
