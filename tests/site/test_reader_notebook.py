"""The downloadable notebook is a reader's notebook (issue 10, section 4).

Every notebook page publishes ``_sources/<page>.ipynb`` (``lstm_site.html.reader_notebook``).
A reader opens it without this site's package or MyST-NB, so for every page it must be a
valid notebook whose code cells are exactly the page's visible cells (as the standalone test
reads them), with nothing of the build left: no hidden cell, no glue, no ``%load_ext``, no
MyST role or directive. It carries the executed outputs, the same text the HTML page shows.
And it runs top to bottom with nbclient in a kernel where ``lstm_outputs`` and ``myst_nb``
cannot be imported: for one page (RUN_SAMPLE; the standalone test runs every page's code).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from IPython.core.inputtransformer2 import TransformerManager
from lstm_site.execution.kernel import MATPLOTLIBRC, kernel_spec
from myst_nb.core.read import is_myst_markdown_notebook
from site_tools.page_code import ABOUT_THE_PACKAGE, BLOCK_IMPORTS, READER_LACKS, code_cells
from site_tools.pages import page_sources

# Its notebook runs start Jupyter kernels: one xdist group for all such tests (tests/conftest.py).
pytestmark = pytest.mark.jupyter_kernels

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

#: Words of the build no cell of a reader's notebook contains; no code cell or output names
#: the package either, but on its own pages (ABOUT_THE_PACKAGE) which show its code by design.
BUILD_WORDS = ("myst_nb", "glue", "load_ext")
EVERY_WORD = (*BUILD_WORDS, *READER_LACKS)
#: A MyST role (``{term}`units```) or directive fence (```` ```{note} ````, ``:::{card}``).
ROLE = re.compile(r"(?<![`\w])\{[a-z][\w:+.-]*\}`")
DIRECTIVE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*\{", re.MULTILINE)
#: Pages whose notebooks run here, without the package. One is enough: every notebook's code
#: cells are the page's visible cells (checked above for every page), which the standalone
#: test runs for every page, and tests/site/test_site_features.py runs the landing page's
#: notebook as downloaded. The cheat sheet's shows all four configurations.
RUN_SAMPLE = ("reference/cheat-sheet.md",)


def notebook_pages() -> list:
    return [
        pytest.param(name, id=name)
        for page in page_sources(DOCS)
        if page.suffix == ".md" and is_myst_markdown_notebook(page.read_text(encoding="utf-8"))
        for name in [page.relative_to(DOCS).as_posix()]
    ]


def published(built_site: Path, name: str) -> nbformat.NotebookNode:
    path = built_site / "_sources" / Path(name).with_suffix(".ipynb")
    assert path.is_file(), f"{name}: no reader's notebook at {path}"
    return nbformat.read(path, as_version=4)


def texts(cell) -> list[str]:
    """The text a code cell's outputs show: printed text, and plain results with no richer view."""
    shown = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            shown.append(output.text)
        elif set(output.get("data", {})) == {"text/plain"}:  # a result with no richer view
            shown.append(output.data["text/plain"])
    return shown


def squeezed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", notebook_pages())
def test_the_notebook_is_the_page_for_a_reader(name, built_site):
    notebook = published(built_site, name)
    nbformat.validate(notebook)

    transform = TransformerManager().transform_cell
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    visible = code_cells(DOCS / name, DOCS, visible_only=True)
    assert [transform(cell.source) for cell in code] == [cell["source"] for cell in visible]
    raises = ["raises-exception" in cell.metadata.get("tags", []) for cell in code]
    assert raises == [cell["raises"] for cell in visible]

    for index, cell in enumerate(notebook.cells):
        # The prose may name the package (where a table came from); the code must not use it.
        words = (
            BUILD_WORDS if cell.cell_type == "markdown" or name in ABOUT_THE_PACKAGE else EVERY_WORD
        )
        shown = cell.source + "".join(texts(cell))
        found = [word for word in words if re.search(rf"\b{word}\b", shown)]
        assert not found, f"{name}, cell {index + 1} mentions {found}:\n{cell.source}"
        if cell.cell_type == "markdown":
            leftover = ROLE.findall(cell.source) + DIRECTIVE.findall(cell.source)
            assert not leftover, f"{name}, cell {index + 1} keeps MyST {leftover}:\n{cell.source}"


@pytest.mark.parametrize("name", notebook_pages())
def test_the_notebook_carries_the_outputs_the_page_shows(name, built_site):
    notebook = published(built_site, name)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    html = (built_site / Path(name).with_suffix(".html")).read_text(encoding="utf-8")
    cells = BeautifulSoup(html, "html.parser").select("div.cell")
    shown = [
        cell.select_one("div.cell_output") for cell in cells if cell.select_one("div.cell_input")
    ]
    # What a hidden cell printed is in the prose of the notebook, as a text block.
    prose = squeezed("\n".join(c.source for c in notebook.cells if c.cell_type == "markdown"))
    for cell in cells:
        if not cell.select_one("div.cell_input"):
            for text in cell.select("div.output.stream, div.output.text_plain"):
                assert squeezed(text.get_text()) in prose, f"{name}: {text.get_text()[:200]}"
    assert len(shown) == len(code), f"{name}: {len(shown)} code cells on the page, {len(code)}"
    for index, (cell, output) in enumerate(zip(code, shown, strict=True)):
        assert bool(cell.outputs) == (output is not None), f"{name}, code cell {index + 1}"
        for text in texts(cell):
            assert squeezed(text) in squeezed(output.get_text()), f"{name}, code cell {index + 1}"


@pytest.fixture
def reader_kernel(tmp_path, monkeypatch):
    """A ``python3`` kernel of this interpreter, with the build's environment, in which the
    modules a reader lacks cannot be imported; the nbclient arguments that start it."""
    nbclient = pytest.importorskip("nbclient")
    jupyter = tmp_path / "jupyter"
    (jupyter / "kernels" / "python3").mkdir(parents=True)
    (jupyter / "matplotlibrc").write_text(MATPLOTLIBRC)
    spec = kernel_spec(jupyter / "matplotlibrc")
    blocker = tmp_path / "reader_has_not.py"
    blocker.write_text(f"BLOCKED = {set(READER_LACKS)!r}\n{BLOCK_IMPORTS}")
    # In its own namespace, so the notebook sees none of the blocker's names.
    spec["argv"].append(f"--IPKernelApp.exec_lines=exec(open({str(blocker)!r}).read(), {{}})")
    (jupyter / "kernels" / "python3" / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter))
    return nbclient


@pytest.mark.parametrize("name", RUN_SAMPLE)
def test_the_notebook_runs_without_the_package(name, built_site, reader_kernel):
    notebook = published(built_site, name)
    for cell in notebook.cells:  # from a clean notebook, as a reader runs it
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    canary = nbformat.v4.new_code_cell(f"import {READER_LACKS[0]}")
    canary.metadata["tags"] = ["raises-exception"]
    notebook.cells.append(canary)
    client = reader_kernel.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str((DOCS / name).parent)}},
    )
    client.execute()
    for index, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "raises-exception" in cell.metadata.get("tags", []):
            assert errors, f"{name}, code cell {index + 1} raised nothing"
            assert errors[0].ename not in ("NameError", "ImportError", "ModuleNotFoundError") or (
                cell is canary
            ), f"{name}, code cell {index + 1}: {errors[0].ename}: {errors[0].evalue}"
        else:
            assert not errors, f"{name}, code cell {index + 1}: {errors[0].ename}"
    assert canary.outputs[0].ename == "ModuleNotFoundError", "the kernel could import the package"
