"""A page's code cells as the build reads them, run as one plain Python program.

The standalone-cells test runs a page's *visible* cells this way, where a reader's
interpreter lacks this site's package; ``nox -s bench`` runs *every* cell this way, to time
a page's code without Jupyter. Both read the page with MyST-NB's own reader, given the
page's path, so a code cell's ``:load:`` option (a file, relative to the page) fills the
cell with that file, as in the build.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from lstm_site.html.reader_notebook import HIDDEN_TAGS

#: Modules a reader who copies a page's code does not have.
READER_LACKS = ("lstm_outputs", "myst_nb")

#: What a reader who copies a page's code has, besides Python's standard library: Keras on
#: its TensorFlow backend, NumPy and matplotlib, and IPython where the page's notebook runs
#: (Jupyter has it; the Keras 2 → 3 page displays a table with ``IPython.display``).
READER_HAS = frozenset({"keras", "tensorflow", "numpy", "matplotlib", "IPython"})

#: Pages whose visible code needs more than :data:`READER_HAS`: each package by the name it
#: is imported as and the name it is installed as, which the page names for the reader.
READER_INSTALLS = {
    "howto/export-and-convert.md": {
        "onnxruntime": "onnxruntime",
        "ai_edge_litert": "ai-edge-litert",
    },
    "howto/keras-2-files.md": {"tf_keras": "tf-keras"},
    "reference/keras-2-to-3.md": {"tf_keras": "tf-keras"},
}

#: Pages whose subject is the package itself: the CLI page shows the package's command line
#: and the API page documents its modules, so their code needs ``lstm_outputs`` by design.
ABOUT_THE_PACKAGE = frozenset({"cli.md", "reference/api.md"})

#: The program the interpreter runs, ``RUNNER PROGRAM.json RESULT.json``: PROGRAM.json names
#: the modules to block and holds the cells; RESULT.json gets the first failure. A cell
#: tagged ``raises-exception`` must raise, and not a ``NameError`` or ``ImportError`` (a
#: name or a package the program lacks, not the error the cell demonstrates).
#: Code that makes the modules named in ``BLOCKED`` (a set it expects) unimportable; the
#: reader's-notebook test starts its kernel with it too.
BLOCK_IMPORTS = r"""
import importlib.abc, sys


class Blocked(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Blocked())
"""

RUNNER = (
    r"""
import importlib, json, linecache, sys, traceback

program = json.loads(open(sys.argv[1]).read())
RESULT = sys.argv[2]  # read now: a page may set sys.argv (to run a script's argparse)
BLOCKED = set(program["blocked"])
"""
    + BLOCK_IMPORTS
    + r"""
namespace = {"__name__": "__main__"}


class Shell:
    # What IPython's transformer turns a cell's magics into, and what an extension's
    # load_ipython_extension may call.
    def run_line_magic(self, name, line):
        if name == "xmode":  # only changes how tracebacks print
            return None
        if name == "load_ext":
            module = importlib.import_module(line.strip())
            if hasattr(module, "load_ipython_extension"):
                module.load_ipython_extension(self)
            return None
        raise NotImplementedError(f"the magic %{name} needs IPython")

    def run_cell_magic(self, name, line, cell):
        raise NotImplementedError(f"the magic %%{name} needs IPython")

    def push(self, variables):
        namespace.update(variables)


SHELL = Shell()
namespace["get_ipython"] = lambda: SHELL
result = {"raised": [], "failure": None}
for cell in program["cells"]:
    # As in IPython, a cell's source stays readable (inspect.getsource, tracebacks).
    source, where = cell["source"], cell["where"]
    linecache.cache[where] = (len(source), None, source.splitlines(True), where)
    try:
        exec(compile(source, where, "exec"), namespace)
    except BaseException as error:
        kind = type(error).__name__
        if cell["raises"] and not isinstance(error, (NameError, ImportError)):
            # What IPython records of a cell's error, which later cells may check.
            sys.last_type, sys.last_value, sys.last_traceback = type(error), error, error.__traceback__
            sys.last_exc = error  # its name since Python 3.12
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


def imported_modules(source: str) -> set[str]:
    r"""The top-level modules a cell's code imports, at any depth (relative imports aside).

    >>> sorted(imported_modules("import numpy as np\nfrom keras import layers\n"
    ...                         "def f():\n    import os.path\nfrom . import x\n"))
    ['keras', 'numpy', 'os']
    """
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.partition(".")[0])
    return modules


def read_notebook(page: Path):
    """A page as a notebook, read by MyST-NB's own reader (or nbformat for ``.ipynb``).

    The reader is given the page's path, as the build gives it, so that a code cell's
    ``:load:`` option (a file, relative to the page) fills the cell with that file.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page, script = Path(folder, "page.md"), Path(folder, "script.py")
    ...     _ = script.write_text("print(1)\\n")
    ...     _ = page.write_text(
    ...         "---\\nfile_format: mystnb\\n---\\n```{code-cell} ipython3\\n:load: script.py\\n```\\n"
    ...     )
    ...     [cell.source for cell in read_notebook(page).cells if cell.cell_type == "code"]
    ['print(1)\\n']
    """
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook

    if page.suffix == ".ipynb":
        return nbformat.read(page, as_version=4)
    text = page.read_text(encoding="utf-8")
    return read_myst_markdown_notebook(text, add_source_map=True, path=page)


def code_cells(page: Path, docs: Path, *, visible_only: bool) -> list[dict]:
    """The page's code cells in order, as :data:`RUNNER` takes them: each cell's source with
    its magics turned into Python, where it comes from, and whether it must raise.

    ``visible_only`` keeps only the cells whose source is on the page (collapsed
    ``hide-input`` cells included); otherwise every code cell, as the build runs them.

    >>> docs = Path(__file__).parents[2] / "docs"
    >>> cells = code_cells(docs / "howto" / "many-to-one.md", docs, visible_only=False)
    >>> cells[0]["source"].splitlines()[0], cells[0]["where"]
    ("get_ipython().run_line_magic('load_ext', 'lstm_outputs.keras_import')", 'howto/many-to-one.md, cell 2, line 10')
    >>> code_cells(docs / "questions.md", docs, visible_only=True)
    []
    """
    from IPython.core.inputtransformer2 import TransformerManager

    notebook = read_notebook(page)
    lines = notebook.metadata.get("source_map", [])
    transform = TransformerManager().transform_cell
    cells = []
    for index, cell in enumerate(notebook.cells):
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type != "code" or (visible_only and tags & HIDDEN_TAGS):
            continue
        line = f", line {lines[index]}" if index < len(lines) else ""
        cells.append(
            {
                "source": transform(cell.source),
                "where": f"{page.relative_to(docs).as_posix()}, cell {index + 1}{line}",
                "raises": "raises-exception" in tags,
            }
        )
    return cells


def run_cells(
    cells: list[dict],
    *,
    cwd: Path,
    scratch: Path,
    env: dict,
    blocked: tuple[str, ...] = (),
    isolated: bool = False,
    timeout: float,
) -> dict:
    r"""Run the cells as one program in a fresh interpreter (``python -I`` when ``isolated``)
    from ``cwd``; the runner's result, whose ``failure`` is ``None`` when all went as tagged.

    >>> import os, tempfile
    >>> cells = [
    ...     {"source": "import inspect\ndef f():\n    pass\n", "where": "cell 1", "raises": False},
    ...     {"source": "assert inspect.getsource(f).startswith('def f')", "where": "cell 2",
    ...      "raises": False},
    ...     {"source": "1 / 0", "where": "cell 3", "raises": True},
    ...     {"source": "import sys\nassert isinstance(sys.last_value, ZeroDivisionError)",
    ...      "where": "cell 4",
    ...      "raises": False},
    ...     {"source": "x = 1", "where": "cell 5", "raises": True},
    ... ]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = run_cells(cells, cwd=Path(folder), scratch=Path(folder),
    ...                        env=dict(os.environ), timeout=60)
    >>> result["raised"], result["failure"]["where"], result["failure"]["error"]
    (['cell 3: ZeroDivisionError'], 'cell 5', 'raised nothing (tagged raises-exception)')
    """
    program, result = scratch / "program.json", scratch / "result.json"
    program.write_text(json.dumps({"blocked": list(blocked), "cells": cells}))
    flags = ["-I"] if isolated else []
    try:
        process = subprocess.run(
            [sys.executable, *flags, "-c", RUNNER, str(program), str(result)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"failure": {"where": "", "error": f"timed out after {timeout} s", "traceback": ""}}
    if not result.exists():
        tail = process.stderr[-3000:]
        error = f"interpreter exited with status {process.returncode}"
        return {"failure": {"where": "", "error": error, "traceback": tail}}
    return json.loads(result.read_text())
