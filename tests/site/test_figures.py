"""Figures on the built site: one visual language, both colour schemes, legible on a phone.

- no page draws with pyplot itself: every figure comes from ``lstm_outputs.diagrams``;
- every figure is numbered ("Figure N"), has alt text, and each of its images links to
  its full-size SVG file, which exists;
- a themed figure holds one light and one dark image; in a browser the light one is shown
  in the light colour scheme and the dark one in the dark scheme;
- on a 390 px phone a figure keeps its desktop width and scrolls sideways inside the
  column (the landing figure fits the column instead); that no page as a whole scrolls
  sideways is checked for every page by test_site_layout.py.
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from site_tools.pages import built_pages
from site_tools.viewports import DESKTOP, PHONE

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _sources():
    return [p for p in DOCS.rglob("*.md") if "_build" not in p.parts]


@pytest.mark.parametrize("source", _sources(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_no_page_draws_with_pyplot(source):
    text = source.read_text(encoding="utf-8")
    assert not re.search(r"\bpyplot\b|\bplt\.", text), "draw it in lstm_outputs.diagrams"


class _Figures(HTMLParser):
    """Each ``<figure>``: its classes, its images (class, alt, enclosing link), its caption."""

    def __init__(self):
        super().__init__()
        self.figures, self._link, self._caption = [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            classes = (attrs.get("class") or "").split()
            self.figures.append({"classes": classes, "images": [], "caption": ""})
        elif not self.figures:
            return
        elif tag == "a":
            self._link = attrs.get("href")
        elif tag == "img":
            self.figures[-1]["images"].append(
                {
                    "classes": (attrs.get("class") or "").split(),
                    "alt": attrs.get("alt") or "",
                    "src": attrs.get("src"),
                    "href": self._link,
                }
            )
        elif tag == "figcaption":
            self._caption = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        elif tag == "figcaption":
            self._caption = False

    def handle_data(self, data):
        if self._caption and self.figures:
            self.figures[-1]["caption"] += data


#: The Explore page's diagram is a live widget, not a figure of the text: inline SVG the page
#: recolours for the reader's configuration, so it has no number and no file to open full size.
LIVE_FIGURE = "explore-figure"


@functools.cache
def _figures(site: Path, page: str) -> list[dict]:
    parser = _Figures()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return [figure for figure in parser.figures if LIVE_FIGURE not in figure["classes"]]


def _themed(site: Path, page: str) -> bool:
    return any("themed-figure" in figure["classes"] for figure in _figures(site, page))


def pytest_generate_tests(metafunc):
    """``figure_page``: each page with figures; ``themed_page``: each with a themed figure."""
    site = metafunc.config.getoption("--site").resolve()
    pages = [page for page in built_pages(site) if _figures(site, page)]
    for name, wanted in (
        ("figure_page", pages),
        ("themed_page", [p for p in pages if _themed(site, p)]),
    ):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, wanted or [pytest.param("<no site>", id="no-site")])


def test_the_site_has_themed_figures(built_site):
    themed = [
        p for p in built_pages(built_site) if _figures(built_site, p) and _themed(built_site, p)
    ]
    # The landing page, the Learn pages with diagrams and the how-to pages with figures.
    assert "index.html" in themed
    assert "howto/bidirectional.html" in themed
    assert len(themed) >= 12, themed


def test_every_figure_is_numbered_described_and_links_its_full_size_file(built_site, figure_page):
    # Numbered on their page, from 1, in reading order (not across the site).
    page = figure_page
    numbers = []
    for figure in _figures(built_site, page):
        found = re.match(r"Figure (\d+) ", figure["caption"].strip())
        assert found, f"a figure without a number: {figure['caption'][:40]!r}"
        numbers.append(number := int(found[1]))
        assert figure["images"], f"figure {number} has no image"
        for image in figure["images"]:
            assert image["alt"].strip(), f"figure {number}: an image without alt text"
            href = image["href"]
            assert href, f"figure {number}: {image['src']} links nowhere"
            assert href == image["src"], f"figure {number} links {href}, shows {image['src']}"
            target = Path(unquote(urljoin(f"{built_site}/{page}", href)))
            assert target.is_file(), f"figure {number}: {target} is missing"
            assert target.suffix == ".svg"
    assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_a_themed_figure_has_one_light_and_one_dark_image(built_site, figure_page):
    for figure in _figures(built_site, figure_page):
        if "themed-figure" in figure["classes"]:
            themes = sorted(
                c for i in figure["images"] for c in i["classes"] if c.startswith("only-")
            )
            assert themes == ["only-dark", "only-light"]


# The images of each themed figure as shown: which theme class, whether visible, its width.
SHOWN = """() => Array.from(document.querySelectorAll("figure.themed-figure")).map((figure) => ({
  landing: figure.classList.contains("landing-figure"),
  scrolls: ["auto", "scroll"].includes(
    getComputedStyle(figure.querySelector(".themed-figure-images")).overflowX),
  overflows: (box => box.scrollWidth > box.clientWidth + 1)(
    figure.querySelector(".themed-figure-images")),
  images: Array.from(figure.querySelectorAll("img")).map((img) => ({
    theme: img.classList.contains("only-dark") ? "dark" : "light",
    shown: img.offsetParent !== null && img.getBoundingClientRect().width > 0,
    loaded: img.complete && img.naturalWidth > 0,
    width: img.getBoundingClientRect().width,
    wanted: parseFloat(img.style.width),
  })),
}))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_figure_of_the_colour_scheme_is_shown(open_in, server, themed_page, scheme):
    page = open_in(DESKTOP, scheme)
    response = page.goto(f"{server}/{themed_page}", wait_until="load")
    assert response is not None
    assert response.ok
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    for figure in page.evaluate(SHOWN):
        shown = [image for image in figure["images"] if image["shown"]]
        assert [image["theme"] for image in shown] == [scheme], figure
        assert shown[0]["loaded"], figure
        # At 1440 px every figure is shown at its own width: the size its text was checked at.
        if not figure["landing"]:
            assert shown[0]["width"] == pytest.approx(shown[0]["wanted"], abs=1), figure
        assert not figure["overflows"], f"a figure is wider than the column at 1440 px: {figure}"


def test_on_a_phone_figures_scroll_instead_of_shrinking(open_in, server, themed_page):
    page = open_in(PHONE, "light")
    response = page.goto(f"{server}/{themed_page}", wait_until="load")
    assert response is not None
    assert response.ok
    for figure in page.evaluate(SHOWN):
        (image,) = [image for image in figure["images"] if image["shown"]]
        if figure["landing"]:
            assert image["width"] <= PHONE["width"], figure
        else:
            assert figure["scrolls"], figure
            assert image["width"] == pytest.approx(image["wanted"], abs=1), figure
