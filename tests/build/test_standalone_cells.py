"""What a reader sees, a reader can run (issue 10, section 4).

Readers copy a page's code into their own projects, where ``lstm_outputs`` (this site's
package) and ``myst_nb`` (its build) are not installed. So for every page, its *visible* code
cells (all but ``remove-input`` and ``remove-cell`` ones; ``hide-input`` cells are on the page,
collapsed) run in order, as one program, in a fresh interpreter (``python -I``) where those two
cannot be imported, with the kernel's environment (``lstm_site.execution.kernel.KERNEL_ENV``) and a
non-interactive figure backend, from the page's folder as on the built page. Every cell tagged
``raises-exception`` must raise, and not with a ``NameError`` or ``ImportError`` (that is a
name a hidden cell defined, or a package a reader lacks, not the error the cell demonstrates);
every other cell must not raise.

What the visible code imports, a reader has: Python's standard library, Keras on TensorFlow,
NumPy and matplotlib (``READER_HAS``), or a package the page names for the reader to install
(``READER_INSTALLS``, which the build's environment installs too).

The programs are forked from one interpreter that has imported Keras
(``site_tools.warm_programs``): each is otherwise the fresh interpreter above, without
paying TensorFlow's import again.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from lstm_site.execution.kernel import KERNEL_ENV
from site_tools.page_code import (
    ABOUT_THE_PACKAGE,
    READER_HAS,
    READER_INSTALLS,
    READER_LACKS,
    code_cells,
    imported_modules,
    read_notebook,
    run_cells,
)
from site_tools.pages import page_sources
from site_tools.warm_programs import ProgramServer

DOCS = Path(__file__).parents[2] / "docs"

#: A page's program may run this long (s); the build allows one cell 300 s on a loaded machine.
TIMEOUT = 300


def visible_cells(page: Path) -> list[dict]:
    """The page's visible code cells in order; a ``:load:`` cell holds its file.

    >>> [cell] = [c for c in visible_cells(DOCS / "howto" / "masking-and-padding.md")
    ...           if "def main():" in c["source"]]
    >>> cell["source"] == (DOCS.parent / "examples" / "masking.py").read_text()
    True
    """
    return code_cells(page, DOCS, visible_only=True)


def has_code(page: Path) -> bool:
    return any(cell.cell_type == "code" for cell in read_notebook(page).cells)


def pages() -> list:
    params = []
    for page in page_sources(DOCS):
        name = page.relative_to(DOCS).as_posix()
        if name in ABOUT_THE_PACKAGE or not has_code(page):
            continue
        params.append(pytest.param(name, id=name))
    return params


def program_env(scratch: Path) -> dict:
    return {**os.environ, **KERNEL_ENV, "MPLBACKEND": "Agg", "TMPDIR": str(scratch)}


def run_visible_code(page: Path, scratch: Path, server: ProgramServer | None = None) -> dict:
    """Run the page's visible cells in a fresh, isolated interpreter (or one forked from
    ``server``); the runner's result."""
    env = program_env(scratch)
    if server is not None:
        cells = visible_cells(page)
        return server.run_cells(cells, cwd=page.parent, scratch=scratch, env=env, timeout=TIMEOUT)
    return run_cells(
        visible_cells(page),
        cwd=page.parent,
        scratch=scratch,
        env=env,
        blocked=READER_LACKS,
        isolated=True,
        timeout=TIMEOUT,
    )


@pytest.fixture(scope="module")
def program_server(tmp_path_factory):
    """One interpreter, Keras imported, that forks each page's program."""
    env = program_env(tmp_path_factory.mktemp("program-server"))
    server = ProgramServer(env, READER_LACKS)
    yield server
    server.close()


@pytest.mark.parametrize("name", pages())
def test_visible_cells_run_on_their_own(name, tmp_path, program_server):
    failure = run_visible_code(DOCS / name, tmp_path, program_server)["failure"]
    if failure is not None:
        pytest.fail(f"{failure['where']}: {failure['error']}\n{failure['traceback']}")


@pytest.mark.parametrize("name", pages())
def test_visible_code_imports_what_a_reader_has(name):
    imported = set().union(
        *(imported_modules(cell["source"]) for cell in visible_cells(DOCS / name))
    )
    allowed = READER_HAS | set(sys.stdlib_module_names) | set(READER_INSTALLS.get(name, {}))
    assert not imported - allowed, (
        f"{name}: a reader may lack {sorted(imported - allowed)}: name the package on the page "
        "and in READER_INSTALLS (tools/site_tools/page_code.py)"
    )


@pytest.mark.parametrize("name", sorted(READER_INSTALLS))
def test_a_page_names_what_its_reader_installs(name):
    text = (DOCS / name).read_text(encoding="utf-8")
    spans = " ".join(re.findall(r"`([^`\n]+)`", text))
    for module, package in READER_INSTALLS[name].items():
        assert re.search(rf"(?<![\w-]){re.escape(package)}(?![\w-])", spans), (
            f"{name} imports {module} but never names `{package}` for the reader to install"
        )
