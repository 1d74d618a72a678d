"""Every built page, opened in a real browser (Playwright driving Debian's Chromium).

For each HTML page under ``docs/_build/html``, served from 127.0.0.1: it loads; the console
shows no error; no request fails; no request goes to another host; every internal link and
anchor resolves; every image loads and has real alt text; axe-core finds no serious or
critical accessibility violation, and no inline code in a table breaks across lines or is
clipped, in the light and the dark colour scheme. Each page is opened once, at 1440 px, and
every check reads that one visit.

Text contrast in code blocks and API signatures is checked by code_contrast.js instead of
axe-core's color-contrast rule. That rule spends about a millisecond on each element finding
what lies under it, and code holds most of a page's elements (one coloured span per token).
A code block is text on a solid background, so the check walks up to the first opaque
background, computes WCAG's contrast ratio for every piece of text, and fails on whatever it
cannot read that way (a background image, a filter, a blend mode, opacity, a text shadow).
axe-core's other rules still read those elements.

``nox -s tests`` builds the site first; without a built site or without Chromium the tests
fail, naming what is missing. Each colour scheme is checked on a settled page: transitions
and animations off, the theme's own attributes showing the scheme, every animation finished
(a scheme switch caught mid-transition once mixed dark text colours with a light background).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from site_tools.pages import built_pages
from site_tools.viewports import DESKTOP

#: Each page's tests are one pytest-xdist group (tests/site/conftest.py): a page's visit
#: costs 5 to 60 s, so two workers share them.
GROUP_BY_PAGE = True
SERIOUS = {"serious", "critical"}
SCHEMES = ("light", "dark")


@pytest.fixture(scope="session")
def axe_source() -> str:
    from importlib.resources import files

    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


# --- Visiting a page once, recording everything the tests check ---------------------------
@dataclass
class Visit:
    url: str
    root: Path  # the folder the page is served from
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    violations: dict[str, list[dict]] = field(default_factory=dict)
    table_code: dict[str, list[str]] = field(default_factory=dict)


#: Where code_contrast.js checks text contrast instead of axe-core.
CODE = [".highlight", "dt.sig"]

AXE_RUN = """async code => {
  // preload: false: axe's CSSOM preload resolves a stylesheet's relative @import against
  // the page instead of the stylesheet, so it requests /basic.css, which 404s.
  const options = {resultTypes: ["violations"], preload: false};
  const everyOtherRule = await axe.run(
    document, {...options, rules: {"color-contrast": {enabled: false}}});
  const contrastOutsideCode = await axe.run(
    {exclude: code.map(selector => [selector])},
    {...options, runOnly: {type: "rule", values: ["color-contrast"]}});
  return [...everyOtherRule.violations, ...contrastOutsideCode.violations].map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary).slice(0, 5),
  }));
}"""

CODE_CONTRAST = (Path(__file__).parent / "code_contrast.js").read_text(encoding="utf-8")

IMAGES = """() => Array.from(document.images).map(img => ({
  src: img.currentSrc || img.src, alt: img.getAttribute("alt"),
  hidden: img.closest('[aria-hidden="true"]') !== null,
  loaded: img.complete && img.naturalWidth > 0,
}))"""

# No transitions or animations: a colour is checked as it ends up, not on its way there.
STILL = "*, *::before, *::after { transition: none !important; animation: none !important; }"

# Switch the scheme as the theme's own switch does (pydata-sphinx-theme reads data-mode and
# shows data-theme), then wait for a settled page: both attributes show the scheme, fonts
# are loaded, two frames have been painted and no finite animation is still running.
SETTLE = """async scheme => {
  const html = document.documentElement;
  html.dataset.mode = scheme;
  html.dataset.theme = scheme;
  await document.fonts.ready;
  const frame = () => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (let i = 0; i < 50; i++) {
    await frame();
    const running = document.getAnimations().filter(a =>
      a.playState === "running" && a.effect?.getComputedTiming().iterations !== Infinity);
    if (html.dataset.theme === scheme && html.dataset.mode === scheme && !running.length) {
      return true;
    }
    await Promise.all(running.map(a => a.finished.catch(() => null)));
  }
  return false;
}"""

# Inline code in a table: each one's line boxes, and whether anything hides part of it
# (``(None,⏎16)`` broken across lines, or clipped).
TABLE_CODE = """() => {
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  const clips = (el) => ["hidden", "clip"].includes(getComputedStyle(el).overflowX);
  const problems = [];
  for (const code of document.querySelectorAll(".bd-article table code")) {
    const text = code.textContent.trim();
    const lines = new Set(Array.from(code.getClientRects(), (r) => Math.round(r.top))).size;
    if (lines > 1) problems.push(`${text}: ${lines} lines`);
    // Outside a scroll container nothing may hide the code: every clipping ancestor
    // holds its content, and the code ends inside the article.
    let inScroller = false;
    for (let el = code.parentElement; el && el !== document.body; el = el.parentElement) {
      if (scrolls(el)) { inScroller = true; break; }
      if (clips(el) && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${text}: clipped by ${el.tagName}.${el.className}`);
      }
    }
    const article = document.querySelector(".bd-article").getBoundingClientRect();
    if (!inScroller && code.getBoundingClientRect().right > article.right + 1) {
      problems.push(`${text}: ends past the article`);
    }
  }
  return problems;
}"""

LINKS = """() => Array.from(document.querySelectorAll("a[href]"), a => a.href)"""


def open_page(browser, axe_source: str, server: str, root: Path, page_path: str) -> Visit:
    """Open one page in a fresh browser context and record everything the tests check."""
    record = Visit(url=f"{server}/{page_path}", root=root)
    origin = urlsplit(server).netloc
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != origin:
            record.foreign_requests.append(request.url)

    def on_response(response):
        if response.status >= 400:
            record.failed_requests.append(f"{response.status} {response.url}")

    def on_failure(request):
        # Closing the context cancels a late favicon fetch (net::ERR_ABORTED) on a busy
        # machine; that is the test moving on, not the site failing.
        if request.failure != "net::ERR_ABORTED":
            record.failed_requests.append(f"{request.failure} {request.url}")

    def on_console(message):
        if message.type == "error":
            record.console_errors.append(f"{message.text} ({message.location})")

    def keep_local(route):
        # Another host's request is recorded by on_request; it never leaves the machine.
        if urlsplit(route.request.url).netloc == origin:
            route.continue_()
        else:
            route.abort()

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_failure)
    page.on("console", on_console)
    page.on("pageerror", lambda error: record.console_errors.append(f"uncaught: {error}"))
    page.route("**/*", keep_local)
    try:
        response = page.goto(record.url, wait_until="load")
        assert response is not None
        assert response.ok, f"{record.url} answered {response.status}"
        page.wait_for_load_state("networkidle")
        record.links = page.evaluate(LINKS)
        record.images = page.evaluate(IMAGES)
        page.add_script_tag(content=axe_source)
        page.add_style_tag(content=STILL)
        for scheme in SCHEMES:
            assert page.evaluate(SETTLE, scheme), f"{record.url}: the {scheme} scheme never settled"
            found = page.evaluate(AXE_RUN, CODE)
            record.violations[scheme] = [v for v in found if v["impact"] in SERIOUS]
            record.violations[scheme] += _code_contrast(page.evaluate(CODE_CONTRAST, CODE))
            record.table_code[scheme] = page.evaluate(TABLE_CODE)
    finally:
        context.close()
    return record


def _code_contrast(found: dict) -> list[dict]:
    """code_contrast.js's findings as one violation in axe-core's form (none when clean)."""
    if not found["problems"]:
        return []
    summary = f"Text in code has enough contrast ({found['checked']} pieces of text checked)"
    return [
        {"id": "code-contrast", "impact": "serious", "help": summary, "nodes": found["problems"]}
    ]


@pytest.fixture(scope="session")
def visit(server, browser, axe_source, built_site):
    """Open a page of the built site once; later tests of the same page reuse the record."""
    return functools.cache(functools.partial(open_page, browser, axe_source, server, built_site))


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


def _target_file(root: Path, url_path: str) -> Path:
    target = root / unquote(url_path).lstrip("/")
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
        target = _target_file(record.root, parts.path)
        if not target.is_file():
            broken.append(f"{link} (no file {target.relative_to(record.root)})")
            continue
        fragment = unquote(parts.fragment)
        if fragment and target.suffix == ".html" and fragment not in _anchors(target):
            broken.append(f"{link} (no id {fragment!r} in {target.relative_to(record.root)})")
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
@pytest.fixture
def page_path(site_page, built_site):
    """Each page of the site under test (``site_page``, tests/site/conftest.py)."""
    return site_page


def test_site_has_pages(built_site):
    # Which files of a built site are pages: the one rule, site_tools.pages.
    assert "index.html" in built_pages(built_site)


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
    assert record.violations[scheme] == [], _explain(page_path, scheme, record.violations[scheme])


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_table_code_breaks_or_is_clipped_on_a_desktop(visit, page_path, scheme):
    assert visit(page_path).table_code[scheme] == [], f"{page_path} ({scheme}) at 1440 px"


def _explain(page_path: str, scheme: str, violations: list[dict]) -> str:
    """Each violation with the selectors of the elements that fail it (axe's target)."""
    lines = [f"{page_path} ({scheme}): axe-core violations"]
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {node}" for node in violation["nodes"]]
    return "\n".join(lines)


# --- The checks themselves catch what they claim to ------------------------------------------
BROKEN_PAGE = """<!DOCTYPE html>
<html><head><title>Broken on purpose</title>
<link rel="stylesheet" href="https://fonts.example.com/font.css">
<link rel="stylesheet" href="missing.css"></head>
<body><main>
<h1>Broken on purpose</h1>
<p style="color:#bbb;background:#fff">Text too faint to read.</p>
<div class="highlight" style="background:#fff"><pre><span style="color:#767676">x</span> =
<span style="color:#777">faint</span></pre></div>
<div class="highlight" style="background:#fff;opacity:0.5"><pre>dimmed</pre></div>
<img src="missing.png" alt="A figure that is not there">
<img src="dot.svg">
<img src="dot.svg" alt="dot.svg">
<a href="nowhere.html">a missing page</a> <a href="#no-such-anchor">a missing anchor</a>
<a href="page.html#here">a good anchor</a> <span id="here"></span>
<a href="https://example.com/">a link out, allowed</a>
<div class="bd-article"><table style="width:40px;table-layout:fixed"><tr>
<td><code>(None, 16)</code></td></tr></table></div>
<script>console.error("broken on purpose")</script>
</main></body></html>
"""
DOT = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><circle r="2" cx="2" cy="2"/></svg>'


def test_the_checks_catch_a_broken_page(tmp_path, browser, axe_source, serve_folder):
    """A hand-made page with one of every fault: each check reports its fault, and only it."""
    (tmp_path / "page.html").write_text(BROKEN_PAGE)
    (tmp_path / "dot.svg").write_text(DOT)
    with serve_folder(tmp_path) as url:
        record = open_page(browser, axe_source, url, tmp_path, "page.html")
    assert any("broken on purpose" in e for e in record.console_errors)
    assert any("missing.css" in r for r in record.failed_requests)
    assert any("missing.png" in r for r in record.failed_requests)
    assert record.foreign_requests == ["https://fonts.example.com/font.css"]
    broken = _broken_links(record)
    assert len(broken) == 2, broken
    assert any("nowhere.html" in b for b in broken)
    assert any("no-such-anchor" in b for b in broken)
    bad = _bad_images(record)
    assert any("missing.png: did not load" in b for b in bad), bad
    assert any("dot.svg: no alt text" in b for b in bad), bad
    assert any("alt text is a file name" in b for b in bad), bad
    assert record.table_code["light"] == ["(None, 16): 2 lines"], record.table_code
    found = {v["id"] for v in record.violations["light"]}
    assert {"color-contrast", "code-contrast", "image-alt", "html-has-lang"} <= found, found
    # In code, the token below WCAG's 4.5 fails (#777 on white is 4.48, #767676 is 4.54), and
    # a block the check cannot read as solid colours is named, not passed.
    (code,) = [v["nodes"] for v in record.violations["light"] if v["id"] == "code-contrast"]
    assert code == ['span "faint": contrast 4.48 < 4.5', "div.highlight: opacity 0.5"], code
