"""What a reader sees, a reader can run (issue 10, section 4).

Readers copy a page's code into their own projects, where ``lstm_outputs`` (this site's
package) and ``myst_nb`` (its build) are not installed. So for every page, its *visible* code
cells (all but ``remove-input`` and ``remove-cell`` ones; ``hide-input`` cells are on the page,
collapsed) run in order, as one program, in a fresh interpreter (``python -I``) where those two
cannot be imported, with the kernel's environment (``lstm_site.build_rules.KERNEL_ENV``) and a
non-interactive figure backend, from the page's folder as on the built page. Every cell tagged
``raises-exception`` must raise, and not with a ``NameError`` or ``ImportError`` (that is a
name a hidden cell defined, or a package a reader lacks, not the error the cell demonstrates);
every other cell must not raise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from lstm_site.build_rules import KERNEL_ENV, page_sources
from lstm_site.html.reader_notebook import HIDDEN_TAGS
from myst_nb.core.read import read_myst_markdown_notebook

DOCS = Path(__file__).parents[2] / "docs"

#: Modules a reader does not have.
BLOCKED = ("lstm_outputs", "myst_nb")

#: Pages whose subject is the package itself: the CLI page shows the package's command line
#: and the API page documents its modules, so their code needs ``lstm_outputs`` by design.
EXEMPT = frozenset({"cli.md", "reference/api.md"})

#: A page's program may run this long (s); the build allows one cell 300 s on a loaded machine.
TIMEOUT = 300

#: Code that makes the modules named in ``BLOCKED`` (a set it expects) unimportable.
BLOCK_IMPORTS = r"""
import importlib.abc, sys


class ReaderHasNot(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, ReaderHasNot())
"""

#: The program the fresh interpreter runs, ``RUNNER PROGRAM.json RESULT.json``: PROGRAM.json
#: names the modules to block and holds the cells; RESULT.json gets the first failure.
RUNNER = (
    r"""
import importlib, json, sys, traceback

program = json.loads(open(sys.argv[1]).read())
RESULT = sys.argv[2]  # read now: a page may set sys.argv (to run a script's argparse)
BLOCKED = set(program["blocked"])
"""
    + BLOCK_IMPORTS
    + r"""


class Shell:
    # What IPython's transformer turns a visible cell's magics into.
    def run_line_magic(self, name, line):
        if name == "xmode":  # only changes how tracebacks print
            return None
        if name == "load_ext":
            return importlib.import_module(line.strip())
        raise NotImplementedError(f"the magic %{name} needs IPython")

    def run_cell_magic(self, name, line, cell):
        raise NotImplementedError(f"the magic %%{name} needs IPython")


SHELL = Shell()
namespace = {"__name__": "__main__", "get_ipython": lambda: SHELL}
result = {"raised": [], "failure": None}
for cell in program["cells"]:
    try:
        exec(compile(cell["source"], cell["where"], "exec"), namespace)
    except BaseException as error:
        kind = type(error).__name__
        if cell["raises"] and not isinstance(error, (NameError, ImportError)):
            result["raised"].append(cell["where"] + ": " + kind)
            continue
        first = (str(error).strip().splitlines() or [""])[0][:200]
        result["failure"] = {
            "where": cell["where"],
            "error": f"{kind}: {first}",
            "traceback": "".join(traceback.format_exception(error))[-3000:],
        }
        break
    else:
        if cell["raises"]:
            result["failure"] = {
                "where": cell["where"],
                "error": "raised nothing (tagged raises-exception)",
                "traceback": "",
            }
            break
open(RESULT, "w").write(json.dumps(result))
"""
)


def read_notebook(page: Path) -> nbformat.NotebookNode:
    """A page as a notebook, read by MyST-NB's own reader (or nbformat for ``.ipynb``).

    The reader is given the page's path, as the build gives it, so that a code cell's
    ``:load:`` option (a file, relative to the page) fills the cell with that file.
    """
    if page.suffix == ".ipynb":
        return nbformat.read(page, as_version=4)
    return read_myst_markdown_notebook(page.read_text(), add_source_map=True, path=page)


def visible_cells(page: Path) -> list[dict]:
    """The page's visible code cells in order, as the runner takes them; a ``:load:`` cell
    holds its file.

    >>> visible_cells(DOCS / "questions.md")
    []
    >>> [cell] = [c for c in visible_cells(DOCS / "howto" / "masking-and-padding.md")
    ...           if "def main():" in c["source"]]
    >>> cell["source"] == (DOCS.parent / "examples" / "masking.py").read_text()
    True
    """
    notebook = read_notebook(page)
    lines = notebook.metadata.get("source_map", [])
    transform = TransformerManager().transform_cell
    cells = []
    for index, cell in enumerate(notebook.cells):
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type != "code" or tags & HIDDEN_TAGS:
            continue
        line = f", line {lines[index]}" if index < len(lines) else ""
        cells.append(
            {
                "source": transform(cell.source),
                "where": f"{page.relative_to(DOCS).as_posix()}, cell {index + 1}{line}",
                "raises": "raises-exception" in tags,
            }
        )
    return cells


def has_code(page: Path) -> bool:
    return any(cell.cell_type == "code" for cell in read_notebook(page).cells)


def pages() -> list:
    params = []
    for page in page_sources(DOCS):
        name = page.relative_to(DOCS).as_posix()
        if name in EXEMPT or not has_code(page):
            continue
        params.append(pytest.param(name, id=name))
    return params


def run_visible_code(page: Path, scratch: Path) -> dict:
    """Run the page's visible cells in a fresh interpreter; the runner's result."""
    program, result = scratch / "program.json", scratch / "result.json"
    program.write_text(json.dumps({"blocked": BLOCKED, "cells": visible_cells(page)}))
    env = {**os.environ, **KERNEL_ENV, "MPLBACKEND": "Agg", "TMPDIR": str(scratch)}
    try:
        process = subprocess.run(
            [sys.executable, "-I", "-c", RUNNER, str(program), str(result)],
            cwd=page.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"failure": {"where": "", "error": f"timed out after {TIMEOUT} s", "traceback": ""}}
    if not result.exists():
        tail = process.stderr[-3000:]
        error = f"interpreter exited with status {process.returncode}"
        return {"failure": {"where": "", "error": error, "traceback": tail}}
    return json.loads(result.read_text())


@pytest.mark.parametrize("name", pages())
def test_visible_cells_run_on_their_own(name, tmp_path):
    failure = run_visible_code(DOCS / name, tmp_path)["failure"]
    if failure is not None:
        pytest.fail(f"{failure['where']}: {failure['error']}\n{failure['traceback']}")
