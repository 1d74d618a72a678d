"""Every built page, opened in a real browser (Playwright driving Debian's Chromium).

For each HTML page under ``docs/_build/html``, served from 127.0.0.1: it loads; the console
shows no error; no request fails; no request goes to another host; every internal link and
anchor resolves; every image loads and has real alt text; axe-core finds no serious or
critical accessibility violation, in the light and the dark colour scheme.

The site must be built first (``nox -s docs``). Without a built site or without Chromium the
tests skip, with the reason, except in CI (``CI`` set), where they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("LSTM_OUTPUTS_SITE", ROOT / "docs" / "_build" / "html"))
CHROMIUM = os.environ.get("LSTM_OUTPUTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
IN_CI = bool(os.environ.get("CI"))
# Folders of the built site that hold assets and sources, not pages.
NOT_PAGES = {"_static", "_sources", "_images", "_downloads", ".doctrees", "jupyter_execute"}
SERIOUS = {"serious", "critical"}
SCHEMES = ("light", "dark")


def _pages() -> list[str]:
    if not SITE.is_dir():
        return []
    pages = []
    for path in sorted(SITE.rglob("*.html")):
        relative = path.relative_to(SITE)
        if not NOT_PAGES.intersection(relative.parts[:-1]):
            pages.append(relative.as_posix())
    return pages


PAGES = _pages()


def _unavailable(reason: str):
    """Skip on a developer's machine; fail in CI, where a missing site is a broken pipeline."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)")
    pytest.skip(reason)


# --- Serving the site --------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server():
    if not PAGES:
        _unavailable(f"no built site at {SITE}: run `nox -s docs` first")
    handler = functools.partial(_QuietHandler, directory=str(SITE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (nox -s tests does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def axe_source() -> str:
    from importlib.resources import files

    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


# --- Visiting a page once, recording everything the tests check ---------------------------
@dataclass
class Visit:
    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    violations: dict[str, list[dict]] = field(default_factory=dict)


AXE_RUN = """async () => {
  // preload: false: axe's CSSOM preload resolves a stylesheet's relative @import against
  // the page instead of the stylesheet, so it requests /basic.css, which 404s.
  const result = await axe.run(document, {resultTypes: ["violations"], preload: false});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary).slice(0, 5),
  }));
}"""

IMAGES = """() => Array.from(document.images).map(img => ({
  src: img.currentSrc || img.src, alt: img.getAttribute("alt"),
  hidden: img.closest('[aria-hidden="true"]') !== null,
  loaded: img.complete && img.naturalWidth > 0,
}))"""

LINKS = """() => Array.from(document.querySelectorAll("a[href]"), a => a.href)"""


@pytest.fixture(scope="module")
def visit(server, browser, axe_source):
    cache: dict[str, Visit] = {}

    def _visit(page_path: str) -> Visit:
        if page_path in cache:
            return cache[page_path]
        record = Visit(url=f"{server}/{page_path}")
        origin = urlsplit(server).netloc
        context = browser.new_context()
        page = context.new_page()

        def on_request(request):
            if urlsplit(request.url).scheme in ("data", "blob", "about"):
                return
            if urlsplit(request.url).netloc != origin:
                record.foreign_requests.append(request.url)

        def on_response(response):
            if response.status >= 400:
                record.failed_requests.append(f"{response.status} {response.url}")

        def on_console(message):
            if message.type == "error":
                record.console_errors.append(f"{message.text} ({message.location})")

        def block_foreign(route):
            # Recorded by on_request; never let it leave the machine.
            if urlsplit(route.request.url).netloc == origin:
                route.continue_()
            else:
                route.abort()

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", lambda r: record.failed_requests.append(f"{r.failure} {r.url}"))
        page.on("console", on_console)
        page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
        page.route("**/*", block_foreign)
        try:
            response = page.goto(record.url, wait_until="load")
            assert response is not None
            assert response.ok, f"{record.url} answered {response.status}"
            page.wait_for_load_state("networkidle")
            record.links = page.evaluate(LINKS)
            record.images = page.evaluate(IMAGES)
            page.add_script_tag(content=axe_source)
            for scheme in SCHEMES:
                # The theme (pydata) switches schemes on the <html> element's data-theme.
                page.evaluate(
                    "scheme => { document.documentElement.dataset.theme = scheme;"
                    " document.documentElement.dataset.mode = scheme; }",
                    scheme,
                )
                record.violations[scheme] = [
                    v for v in page.evaluate(AXE_RUN) if v["impact"] in SERIOUS
                ]
        finally:
            context.close()
        cache[page_path] = record
        return record

    return _visit


# --- Anchors, read from the built files ------------------------------------------------------
class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


@functools.cache
def _anchors(path: Path) -> frozenset[str]:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return frozenset(parser.ids)


def _target_file(url_path: str) -> Path:
    target = SITE / unquote(url_path).lstrip("/")
    return target / "index.html" if url_path.endswith("/") or target.is_dir() else target


def _broken_links(record: Visit) -> list[str]:
    origin = urlsplit(record.url).netloc
    broken = []
    for link in sorted(set(record.links)):
        parts = urlsplit(link)
        if parts.scheme in ("http", "https") and parts.netloc != origin:
            continue  # a link out of the site (never loaded by a page: see no_foreign_requests)
        if parts.scheme not in ("http", "https"):
            if parts.scheme in ("javascript",):
                broken.append(f"{link} (javascript: link)")
            continue  # mailto: and the like
        target = _target_file(parts.path)
        if not target.is_file():
            broken.append(f"{link} (no file {target.relative_to(SITE)})")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in _anchors(target):
            broken.append(f"{link} (no id {fragment!r} in {target.relative_to(SITE)})")
    return broken


def _bad_images(record: Visit) -> list[str]:
    bad = []
    for image in record.images:
        src, alt = image["src"], (image["alt"] or "").strip()
        name = Path(urlsplit(src).path).name
        if not image["loaded"]:
            bad.append(f"{src}: did not load")
        if image["hidden"]:
            continue
        if not alt:
            bad.append(f"{src}: no alt text")
        elif alt == name or alt.endswith(src) or Path(alt).suffix.lower() in IMAGE_SUFFIXES:
            bad.append(f"{src}: alt text is a file name ({alt!r}), not a description")
    return bad


IMAGE_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"}


# --- The tests ----------------------------------------------------------------------------
def _page_params():
    if PAGES:
        return PAGES
    return [pytest.param("<no site>", id="no-site")]


@pytest.fixture(params=_page_params())
def page_path(request):
    if not PAGES:
        _unavailable(f"no built site at {SITE}: run `nox -s docs` first")
    return request.param


def test_site_has_pages():
    if not PAGES:
        _unavailable(f"no built site at {SITE}: run `nox -s docs` first")
    assert "index.html" in PAGES


def test_page_loads_without_console_errors(visit, page_path):
    record = visit(page_path)
    assert record.console_errors == [], f"{page_path}: console errors"


def test_page_requests_all_succeed(visit, page_path):
    record = visit(page_path)
    assert record.failed_requests == [], f"{page_path}: failed requests"


def test_page_requests_only_its_own_host(visit, page_path):
    record = visit(page_path)
    assert record.foreign_requests == [], f"{page_path}: requests to other hosts"


def test_page_links_and_anchors_resolve(visit, page_path):
    record = visit(page_path)
    assert record.links, f"{page_path}: no links at all; is it a real page?"
    assert _broken_links(record) == [], f"{page_path}: broken internal links"


def test_page_images_load_with_alt_text(visit, page_path):
    record = visit(page_path)
    assert _bad_images(record) == [], f"{page_path}: bad images"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_page_has_no_serious_accessibility_violation(visit, page_path, scheme):
    record = visit(page_path)
    assert record.violations[scheme] == [], f"{page_path} ({scheme}): axe-core violations"
