"""The built site served on loopback, and Debian's Chromium driven by Playwright.

The site tests never skip: without a built site or without Chromium they fail, naming what
is missing (``nox -s tests`` builds the site, cached, and installs Chromium first).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from site_tools.pages import built_pages

# A Chromium executable, or "playwright" for Playwright's own browser (`playwright install
# chromium`), as on a hosted CI runner (the canary workflow).
CHROMIUM = os.environ.get("LSTM_OUTPUTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def site_under_test(config: pytest.Config) -> Path:
    """The built site the tests check: ``--site DIR``, by default docs/_build/html."""
    return config.getoption("--site").resolve()


@pytest.fixture(scope="session")
def built_site(pytestconfig) -> Path:
    """The built site under test; the tests fail without it (`nox -s tests` builds it)."""
    site = site_under_test(pytestconfig)
    if not (site / "index.html").is_file():
        pytest.fail(f"the site is not built ({site}): `nox -s tests` builds it first")
    return site


def pytest_generate_tests(metafunc):
    """A test that takes ``site_page`` runs once for each HTML page of the site under test.

    In a module that sets ``GROUP_BY_PAGE = True`` (browser tests, seconds per page), each
    page's tests are one pytest-xdist group, so two workers share the module's pages; its
    fixtures that record a page's visit are session-scoped, made once whichever worker runs
    the page.
    """
    if "site_page" in metafunc.fixturenames:
        pages = built_pages(site_under_test(metafunc.config))
        module = Path(metafunc.module.__file__).name
        by_page = getattr(metafunc.module, "GROUP_BY_PAGE", False)
        params = [
            pytest.param(
                page, marks=[pytest.mark.xdist_group(f"{module}:{page}")] if by_page else []
            )
            for page in pages
        ]
        metafunc.parametrize("site_page", params or [pytest.param("<no site>", id="no-site")])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep the test log clean
        pass


@contextlib.contextmanager
def _serve(directory: Path):
    """Serve a folder on 127.0.0.1 (a free port) for as long as the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="session")
def serve_folder():
    """``with serve_folder(path) as url:`` serves any folder, e.g. a hand-made test page."""
    return _serve


@pytest.fixture(scope="session")
def server(built_site):
    """The built site on a loopback port, as a static host would serve it."""
    with _serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (it cannot download its own browser here)."""
    own = CHROMIUM == "playwright"
    if not (own or Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (nox -s tests does)")
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        executable = {} if own else {"executable_path": CHROMIUM}
        chromium = playwright.chromium.launch(**executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def open_in(browser, server):
    """``open_in(viewport, scheme)`` gives a page in a context of that size and scheme."""
    contexts = {}

    def page_for(viewport: dict, scheme: str):
        key = (viewport["width"], viewport["height"], scheme)
        if key not in contexts:
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            contexts[key] = context.new_page()
        return contexts[key]

    yield page_for
    for page in contexts.values():
        page.context.close()


#: Runs each copied snippet (a JSON list on stdin) in a fresh namespace, printing what each
#: printed as a JSON list.
_RUN_SNIPPETS = """
import contextlib, io, json, sys
results = []
for code in json.load(sys.stdin):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<copied>", "exec"), {})
    results.append(out.getvalue())
print(json.dumps(results))
"""


def _run_copied_code(codes: list[str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", _RUN_SNIPPETS],
        input=json.dumps(codes),
        capture_output=True,
        text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def run_copied_code():
    """``run_copied_code(codes)``: what each snippet a reader copied prints, each run in a
    fresh namespace of one new interpreter (Keras imported once)."""
    return _run_copied_code
