"""Layout of the built site in a real browser (Playwright driving Debian's Chromium).

- at 390 px no page scrolls sideways, and html, body and the main content hide nothing
  with ``overflow: hidden`` or ``clip``;
- the landing figure is in the first screen on a desktop and a phone, at least 300 px wide,
  in the light and the dark colour scheme;
- the favicon answers 200; search result summaries show page text only: no theme buttons
  ("System Settings") and no raw TeX (``\\(``).

Run after ``nox -s docs``. Skipped when the site is not built or Chromium is missing; on CI
(``CI`` set) those are failures instead.
"""

from __future__ import annotations

import urllib.request

import pytest
from site_tools.viewports import DESKTOP, PHONE

#: Each page's tests are one pytest-xdist group (tests/site/conftest.py), shared by the workers.
GROUP_BY_PAGE = True
# At 1440 px, no inline code in a table breaks or is clipped: tests/site/test_site_browser.py
# checks it on its visit of each page.
SCHEMES = ("light", "dark")


# Sideways scrolling at a phone's width, and what could hide it.
SIDEWAYS = """() => {
  const hiding = [];
  const main = document.querySelector("main") || document.querySelector("[role=main]");
  for (const [name, el] of [["html", document.documentElement], ["body", document.body],
                            ["main", main]]) {
    const style = getComputedStyle(el);
    for (const axis of ["overflowX", "overflowY"]) {
      if (["hidden", "clip"].includes(style[axis])) hiding.push(`${name} ${axis}: ${style[axis]}`);
    }
  }
  return {width: document.documentElement.scrollWidth, hiding};
}"""

# The landing figure shown in the current colour scheme: its box on the first screen.
LANDING_FIGURE = """() => {
  const shown = Array.from(document.querySelectorAll("figure.landing-figure img"))
    .filter((img) => img.offsetParent !== null);
  return shown.map((img) => {
    const box = img.getBoundingClientRect();
    return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
            width: box.width, loaded: img.complete && img.naturalWidth > 0};
  });
}"""


def _goto(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None, f"{url} did not load"
    assert response.ok, f"{url} answered {response.status}"


def test_no_page_scrolls_sideways_on_a_phone(open_in, server, site_page):
    page = open_in(PHONE, "light")
    _goto(page, f"{server}/{site_page}")
    page.wait_for_load_state("networkidle")  # MathJax has typeset the formulas
    found = page.evaluate(SIDEWAYS)
    assert found["hiding"] == [], "overflow hidden or clip would hide a sideways overflow"
    assert found["width"] <= PHONE["width"], f"{site_page} is {found['width']} px wide"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_landing_figure_is_on_the_first_screen(open_in, server, viewport, scheme):
    page = open_in(viewport, scheme)
    _goto(page, f"{server}/index.html")
    shown = page.evaluate(LANDING_FIGURE)
    assert len(shown) == 1, f"{len(shown)} landing figures shown in the {scheme} scheme"
    (box,) = shown
    assert box["loaded"]
    assert box["width"] >= 300, box
    assert box["top"] >= 0, box
    assert box["bottom"] <= viewport["height"], box
    assert box["left"] >= 0, box
    assert box["right"] <= viewport["width"], box


def test_the_favicon_answers_200(open_in, server):
    page = open_in(DESKTOP, "light")
    _goto(page, f"{server}/index.html")
    href = page.evaluate("""() => document.querySelector("link[rel~='icon']")?.href""")
    assert href, "no <link rel='icon'>"
    with urllib.request.urlopen(href) as response:
        assert response.status == 200
        assert response.read().lstrip().startswith(b"<svg")


def test_search_summaries_show_page_text_only(open_in, server):
    page = open_in(DESKTOP, "light")
    _goto(page, f"{server}/search.html?q=return_state")
    # Sphinx lists the results, says "Search finished", and fetches each result's page
    # for its summary.
    page.wait_for_function(
        """() => /Search finished/.test(document.querySelector("#search-results")?.textContent)
                 && document.querySelectorAll("#search-results li p.context").length
                    === document.querySelectorAll("#search-results li").length""",
        timeout=30_000,
    )
    summaries = page.locator("#search-results p.context").all_inner_texts()
    assert summaries, "no result has a summary"
    assert any("return_state" in s for s in summaries)
    for summary in summaries:
        assert "System Settings" not in summary, summary
        assert "\\(" not in summary, summary
