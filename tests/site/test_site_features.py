"""Reader features of the built site, in a real browser (Debian's Chromium via Playwright).

- a copy button copies code that runs: no prompts, no outputs;
- every page offers its executed notebook, and that .ipynb executes top to bottom;
- search finds pages; the 404 page renders; the footer names the versions that built it;
- nothing a page loads comes from another host.

`nox -s tests` builds the site first; without it, or without Chromium, these tests fail.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest


def _record_failure(page, request) -> None:
    """A request that failed. Not one the test aborted itself by moving on: Chromium fetches
    the favicon late, and going to the next page cancels that fetch (net::ERR_ABORTED) on a
    busy machine. A missing file is a 404 response, which test_site_browser checks on every
    page."""
    if request.failure != "net::ERR_ABORTED":
        page.failures.append(f"{request.failure} {request.url}")


@pytest.fixture
def page(browser, server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.requests = []
    page.failures = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("requestfailed", lambda request: _record_failure(page, request))
    yield page
    context.close()


def _copy(page, block) -> str:
    """Click a code block's copy button; return what landed on the clipboard.

    `block` is the `div.highlight` holding the `<pre>`; copybutton puts its button there.
    """
    block.scroll_into_view_if_needed()
    block.hover()
    block.locator("button.copybtn").click()
    return page.evaluate("navigator.clipboard.readText()")


def test_copy_button_copies_python_that_runs(page, server):
    page.goto(f"{server}/index.html")
    # The page's "Copy this" cell: its input, not its output.
    block = page.locator(
        "div.cell_input div.highlight", has_text="sequence, state_h, state_c = lstm(inputs)"
    ).first
    code = _copy(page, block)
    assert code.startswith("import keras"), code
    assert "sequence: (None, 4, 16)" not in code, "the cell's output was copied"
    assert page.locator("div.output button.copybtn").count() == 0, "copy button on an output"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "sequence: (None, 4, 16)",
        "state_h:  (None, 16)",
        "state_c:  (None, 16)",
    ]


def test_copy_button_drops_prompt_and_output_of_a_console_block(page, server):
    page.goto(f"{server}/cli.html")
    block = page.locator("div.highlight-console div.highlight", has_text="--return-sequences").first
    command = _copy(page, block)
    assert command == (
        "lstm-outputs --units 16 --timesteps 4 --features 10 --return-sequences --return-state"
    )
    args = shlex.split(command)
    result = subprocess.run(
        [sys.executable, "-m", "lstm_outputs", *args[1:]],
        capture_output=True,
        text=True,
        check=True,
    )
    # What the command prints now is what the page shows under the command.
    shown = block.inner_text()
    assert result.stdout.strip() in shown


@pytest.mark.jupyter_kernels
def test_downloaded_notebook_executes(page, server, tmp_path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    page.goto(f"{server}/index.html")
    link = page.locator("a[href$='.ipynb']").first
    assert link.count() == 1, "no .ipynb download link"
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    notebook = nbformat.reads(response.text(), as_version=4)
    for cell in notebook.cells:  # start from a clean notebook, as a reader would run it
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None

    # Run it with this interpreter's ipykernel, whatever kernels the user has installed.
    kernels = tmp_path / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3",
        "language": "python",
        "env": {"TF_CPP_MIN_LOG_LEVEL": "3"},
    }
    (kernels / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    work = tmp_path / "docs"  # pages run in docs/, next to examples/
    work.mkdir()
    shutil.copytree(Path(__file__).parents[2] / "examples", tmp_path / "examples")
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    )
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert not errors
    printed = "".join(
        output.get("text", "")
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "stream"
    )
    assert "sequence: (None, 4, 16)" in printed


def test_every_page_offers_notebook_and_source(built_site):
    """Each executed page links its .ipynb and its source, and both are published."""
    sources = sorted((built_site / "_sources").rglob("*.md"))
    notebooks = [s for s in sources if "file_format: mystnb" in s.read_text(encoding="utf-8")]
    assert len(notebooks) >= 2, notebooks  # index and cli at least
    for source in notebooks:
        name = source.relative_to(built_site / "_sources").with_suffix("").as_posix()
        html = (built_site / f"{name}.html").read_text(encoding="utf-8")
        assert f"_sources/{name}.ipynb" in html, name
        assert f"_sources/{name}.md" in html, name
        assert source.with_suffix(".ipynb").is_file(), name


def test_search_finds_pages(page, server):
    page.goto(f"{server}/search.html?q=return_state")
    results = page.locator("#search-results li")
    results.first.wait_for(timeout=15_000)
    assert results.count() >= 1


def test_404_page_renders_with_its_styles(page, server):
    page.goto(f"{server}/404.html")
    assert "Page not found" in page.inner_text("main")
    page.wait_for_load_state("networkidle")
    assert not page.failures, page.failures
    # Styled by the theme: its stylesheet loaded (the sidebar is laid out, not a bare list).
    assert page.locator("link[rel=stylesheet]").count() >= 3
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"


def test_footer_names_the_versions_that_built_the_pages(page, server):
    page.goto(f"{server}/index.html")
    footer = page.inner_text("footer.bd-footer-content")
    assert f"TensorFlow {version('tensorflow')}" in footer.replace("\xa0", " ")
    assert f"Keras {version('keras')}" in footer.replace("\xa0", " ")


def test_previous_and_next_links(page, server):
    page.goto(f"{server}/index.html")
    assert page.locator("a.right-next").count() == 1


def test_pages_load_nothing_from_other_hosts_in_the_browser(page, server, built_site):
    for name in ("index", "cli", "search", "404"):
        page.goto(f"{server}/{name}.html")
        page.wait_for_load_state("networkidle")
    foreign = [
        url
        for url in page.requests
        if not url.startswith((server, "data:", "blob:", "about:", "chrome-extension:"))
    ]
    assert not foreign, foreign
    assert not page.failures, page.failures


def test_pages_work_from_file_urls(page, built_site):
    page.goto((built_site / "index.html").as_uri())
    page.wait_for_load_state("networkidle")
    assert "What does a Keras LSTM layer return?" in page.title() or page.locator("h1").count()
    foreign = [url for url in page.requests if not url.startswith(("file:", "data:", "blob:"))]
    assert not foreign, foreign
    assert not page.failures, page.failures
