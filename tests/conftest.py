"""Shared fixtures: Keras imported once, quietly; hypothesis profiles; the built site
served on loopback and Debian's Chromium for the browser tests."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Building a Keras layer takes tens of milliseconds, and the first one far longer.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=25
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def keras():
    from lstm_outputs import import_keras

    return import_keras()


SITE = Path(__file__).parents[1] / "docs" / "_build" / "html"
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


def _unavailable(reason: str):
    """Skip on a developer's machine; fail in CI, where .ci/run builds the site first."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The built site (docs/_build/html): skips when it is not built, fails on CI."""
    if not (SITE / "index.html").is_file():
        _unavailable(f"the site is not built ({SITE}): run `nox -s docs` first")
    return SITE


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
        _unavailable(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (nox -s tests does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        executable = {} if own else {"executable_path": CHROMIUM}
        chromium = playwright.chromium.launch(**executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def pytest_addoption(parser):
    parser.addoption(
        "--crosscheck",
        action="store_true",
        help="collect tests/crosscheck, which need PyTorch (run them with `nox -s crosscheck`)",
    )


def pytest_ignore_collect(collection_path, config):
    # tests/crosscheck imports torch, which the default test environment does not install.
    if collection_path.name == "crosscheck" and not config.getoption("--crosscheck"):
        return True
    return None
