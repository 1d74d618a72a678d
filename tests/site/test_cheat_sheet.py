"""The cheat sheet in a real browser (Playwright driving Debian's Chromium).

- at 1440×900 the layer × flags matrix is on the first screen, whole: no page scroll, no
  sideways scroll inside its container, in the light and the dark colour scheme;
- every shape in it shows the running example's numbers on hover;
- the site's search finds the cheat sheet by any word of its tables, the words only the
  tables hold included (their HTML is indexed as page text);
- printed by Chromium (``page.pdf``) on A4 and on Letter it is exactly one page, with the
  sheet on it and no text below 8 pt, read from the PDF itself (pypdf);
- printed from the dark scheme, its text is dark ink on the white paper, not the dark
  scheme's light grey.

The site-wide rules (no table code breaking at 1440 px, no sideways page scroll at 390 px)
are in test_site_layout.py, for every page.
"""

from __future__ import annotations

import functools
import io
import math
import re

import pypdf
import pytest
from site_tools.viewports import DESKTOP

CHEAT_SHEET = "reference/cheat-sheet.html"
SCHEMES = ("light", "dark")
PAPERS = ("A4", "Letter")
SMALLEST_PRINT_PT = 8
# What the printed page must show: every row of the matrix and of the PyTorch table.
PRINTED = ("LSTM", "GRU", "SimpleRNN", "merge_mode=None", "nn.LSTM", "nn.GRU", "nn.RNN")

MATRIX = """() => {
  const table = document.querySelector("table.cheat-matrix");
  const box = table.getBoundingClientRect();
  const scroller = table.closest(".cheat-scroll");
  const shapes = Array.from(table.querySelectorAll("ol.cheat-tensors li"),
                            (li) => li.querySelectorAll("code")[1]?.title ?? null);
  return {top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          rows: table.tBodies[0].rows.length, columns: table.tHead.rows[0].cells.length,
          sideways: scroller.scrollWidth - scroller.clientWidth,
          pageScroll: window.scrollY, shapes};
}"""


def _load(browser, contexts: list, url: str, viewport: dict, scheme: str):
    """A page loaded from ``url`` in a new browser context (appended to ``contexts``)."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    contexts.append(context)
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    assert response is not None, f"{url} did not load"
    assert response.ok, f"{url} answered {response.status}"
    page.wait_for_load_state("networkidle")  # fonts and MathJax are in
    return page


@pytest.fixture
def open_page(browser, server):
    """``open_page(path, viewport, scheme)``: a loaded page of the site (or of ``base``) in
    its own browser context."""
    contexts = []

    def opened(path: str, viewport: dict, scheme: str = "light", base: str = server):
        return _load(browser, contexts, f"{base}/{path}", viewport, scheme)

    yield opened
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def cheat_sheet(browser, server):
    """The cheat sheet at 1440 px in the light scheme, loaded once for the tests that only
    read it (its matrix, its print)."""
    contexts = []
    yield _load(browser, contexts, f"{server}/{CHEAT_SHEET}", DESKTOP, "light")
    contexts[0].close()


@pytest.fixture(scope="module")
def printed_cheat_sheet(cheat_sheet):
    """``printed_cheat_sheet(paper)``: the cheat sheet printed on ``paper``, once a paper."""
    return functools.cache(functools.partial(printed, cheat_sheet))


def printed(page, paper: str) -> pypdf.PdfReader:
    """The page as Chromium prints it on ``paper``, at 100 % (no shrink to fit)."""
    return pypdf.PdfReader(io.BytesIO(page.pdf(format=paper, scale=1)))


def text_sizes(pdf_page) -> list[tuple[float, str]]:
    """Each piece of text on a PDF page with its size in points, as it is printed.

    The size is the font size times the length of the glyphs' vertical axis under the text
    matrix and the current transformation matrix together (Chromium writes CSS pixels and
    scales them to points): the second row of ``tm × cm``.
    """
    found = []

    def visit(text, cm, tm, font, font_size):
        if not text.strip():
            return
        vertical = (tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        found.append((font_size * math.hypot(*vertical), text.strip()))

    pdf_page.extract_text(visitor_text=visit)
    return found


def test_matrix_has_a_row_per_layer_and_a_column_per_flag_combination(cheat_sheet):
    matrix = cheat_sheet.evaluate(MATRIX)
    assert (matrix["rows"], matrix["columns"]) == (5, 1 + 4)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_matrix_fits_the_first_screen_on_a_desktop(open_page, scheme):
    matrix = open_page(CHEAT_SHEET, DESKTOP, scheme).evaluate(MATRIX)
    assert matrix["pageScroll"] == 0
    assert matrix["top"] >= 0, matrix
    assert matrix["bottom"] <= DESKTOP["height"], f"the matrix ends at {matrix['bottom']} px"
    assert matrix["left"] >= 0, matrix
    assert matrix["right"] <= DESKTOP["width"], matrix
    assert matrix["sideways"] <= 0, f"the matrix scrolls {matrix['sideways']} px sideways"


# On the search page: the words of the cheat sheet's tables (split and filtered as the search
# splits a query), those that appear nowhere else on the page first.
TABLE_WORDS = """async (path) => {
  const text = await (await fetch(path)).text();
  const page = new DOMParser().parseFromString(text, "text/html");
  const article = page.querySelector("article");
  const words = (t) => new Set(splitQuery(t).map((w) => w.toLowerCase())
    .filter((w) => !stopwords.has(w) && !/^\\d+$/.test(w)));
  const tables = [...article.querySelectorAll("table")];
  const inTables = words(tables.map((t) => t.textContent).join(" "));
  tables.forEach((t) => t.remove());
  const elsewhere = words(article.textContent);
  const only = [...inTables].filter((w) => !elsewhere.has(w));
  return {tables: tables.length, only, all: [...inTables]};
}"""
# The pages the search page's own query path finds for one word.
FOUND_BY = """(word) => {
  const [, searchTerms, excludedTerms] = Search._parseQuery(word);
  return Search.performTermsSearch(searchTerms, excludedTerms).map((result) => result[0]);
}"""


def test_search_finds_the_cheat_sheet_by_the_words_of_its_tables(open_page):
    page = open_page("search.html", DESKTOP)
    page.wait_for_function("Search.hasIndex()")
    words = page.evaluate(TABLE_WORDS, CHEAT_SHEET)
    assert words["tables"] >= 3, words
    assert words["only"], "no word is in the tables only: the test shows nothing about them"
    missed = [w for w in words["all"] if "reference/cheat-sheet" not in page.evaluate(FOUND_BY, w)]
    assert missed == [], f"searching for these words of the tables misses the cheat sheet: {missed}"
    # And as a reader searches: typed into the search page, a word only the tables hold.
    page.goto(f"{page.url.split('?')[0]}?q={words['only'][0]}")
    page.wait_for_function(
        """() => /Search finished/.test(document.querySelector("#search-results")?.textContent)"""
    )
    found = page.locator("#search-results li a").evaluate_all("a => a.map((e) => e.href)")
    assert any(href.split("#")[0].endswith(CHEAT_SHEET) for href in found), found


def test_every_shape_shows_the_running_examples_numbers_on_hover(cheat_sheet):
    shapes = cheat_sheet.evaluate(MATRIX)["shapes"]
    assert shapes, "no shapes in the matrix"
    numbers = re.compile(r"\(\d+(, \d+)*\) in the running example")
    assert [s for s in shapes if not (s and numbers.fullmatch(s))] == []


@pytest.mark.parametrize("paper", PAPERS)
def test_the_cheat_sheet_prints_on_one_page(printed_cheat_sheet, paper):
    pdf = printed_cheat_sheet(paper)
    assert len(pdf.pages) == 1, f"{len(pdf.pages)} pages on {paper}"
    text = pdf.pages[0].extract_text()
    assert [label for label in PRINTED if label not in text] == []


@pytest.mark.parametrize("paper", PAPERS)
def test_printed_text_is_at_least_8_pt(printed_cheat_sheet, paper):
    pdf = printed_cheat_sheet(paper)
    sizes = [size_text for pdf_page in pdf.pages for size_text in text_sizes(pdf_page)]
    assert sizes, "no text found in the PDF"
    small = [(round(size, 2), text) for size, text in sizes if size < SMALLEST_PRINT_PT - 0.01]
    assert small == [], f"text below {SMALLEST_PRINT_PT} pt on {paper}"


# The text colours of the page as printed: a paragraph, the matrix's names and shapes, and
# each one's relative luminance (WCAG's definition; 0 is black, 1 is white).
PRINT_INK = """() => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((c) => {
      const v = Number(c) / 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const picks = {
    paragraph: document.querySelector(".bd-article section p"),
    name: document.querySelector("ol.cheat-tensors code"),
    shape: document.querySelector("ol.cheat-tensors code + code"),
  };
  return Object.fromEntries(Object.entries(picks).map(
    ([what, el]) => [what, luminance(getComputedStyle(el).color)]));
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_printed_text_is_dark_ink_in_either_scheme(open_page, scheme):
    page = open_page(CHEAT_SHEET, DESKTOP, scheme)
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    page.emulate_media(media="print")
    # Black on white has a contrast of 21:1; luminance 0.18 still gives 4.5:1 on white.
    inks = page.evaluate(PRINT_INK)
    assert {what: ink for what, ink in inks.items() if ink > 0.18} == {}, inks


# --- The checks themselves catch what they claim to ------------------------------------------
TWO_PAGES_SMALL_PRINT = """<!DOCTYPE html>
<html lang="en"><head><title>Too long on purpose</title></head><body>
<p style="font-size: 6pt">Six-point text.</p>
<p style="font-size: 10pt; margin-top: 300mm">Ten-point text, a page further down.</p>
</body></html>
"""


def test_the_print_checks_catch_a_long_page_in_small_print(tmp_path, open_page, serve_folder):
    (tmp_path / "page.html").write_text(TWO_PAGES_SMALL_PRINT)
    with serve_folder(tmp_path) as url:
        pdf = printed(open_page("page.html", DESKTOP, base=url), "A4")
    assert len(pdf.pages) == 2
    sizes = {text: round(size, 1) for pdf_page in pdf.pages for size, text in text_sizes(pdf_page)}
    assert sizes == {"Six-point text.": 6.0, "Ten-point text, a page further down.": 10.0}
