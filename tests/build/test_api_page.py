"""The API reference page lists every name the package exports, and every public module."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import lstm_outputs

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "api.md"


def test_api_page_lists_every_export():
    text = PAGE.read_text()
    missing = [name for name in lstm_outputs.__all__ if f"`{name}`" not in text]
    assert not missing


def test_api_page_documents_every_public_module():
    text = PAGE.read_text()
    modules = [m.name for m in pkgutil.iter_modules(lstm_outputs.__path__) if m.name[0] != "_"]
    missing = [m for m in modules if f".. automodule:: lstm_outputs.{m}" not in text]
    assert not missing
