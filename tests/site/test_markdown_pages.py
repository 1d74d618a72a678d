"""For machine readers: ``llms.txt`` at the site's root, and every page as Markdown with its
computed outputs (``PAGE.html.md``, the llms.txt proposal's name), linked from the page's
download menu.

- ``llms.txt`` lists every page, each by the URL of its Markdown, and each listed file
  exists;
- each page's Markdown has the page's title, every output its cells printed (as the HTML
  shows them), every value glued into its prose, and no MyST role or directive left;
- its figures link images that the site publishes, once each (not the dark copy);
- the download menu of every page links the page's Markdown, and the link answers.
"""

from __future__ import annotations

import copy
import functools
import re
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, by the MyST source it publishes for each."""
    sources = site / "_sources"
    return sorted(p.relative_to(sources).with_suffix("").as_posix() for p in sources.rglob("*.md"))


def pytest_generate_tests(metafunc):
    """A test that takes ``page`` runs once for each page of the site under test."""
    if "page" in metafunc.fixturenames:
        pages = site_pages(metafunc.config.getoption("--site").resolve())
        metafunc.parametrize("page", pages or [pytest.param("<no site>", id="no-site")])


LISTED = re.compile(r"^- \[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\)", re.MULTILINE)
#: What plain Markdown never holds: a MyST role, a directive fence, a target line.
LEFTOVER_MYST = re.compile(
    r"\{(glue|term|doc|ref|download)(:\w+)?\}`|^\s*```\{|^\(\S+\)=$", re.MULTILINE
)


def words(text: str) -> str:
    """Text with its whitespace made single spaces: Markdown and HTML wrap differently."""
    return " ".join(text.split())


def title_of(markdown: str) -> str:
    """The text of the Markdown's first heading, its code and emphasis marks dropped."""
    first = markdown.splitlines()[0]
    assert first.startswith("# "), first
    return words(first.removeprefix("# ").replace("`", "").replace("*", ""))


@pytest.fixture(scope="module")
def markdown_of(built_site):
    """``markdown_of(page)``: the page's Markdown, as the site publishes it."""
    return lambda page: (built_site / f"{page}.html.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def html_of(built_site):
    """``html_of(page)``: the page's HTML, parsed once for the tests that read it (a test
    that changes the tree works on a copy)."""

    @functools.cache
    def parsed(page: str) -> BeautifulSoup:
        return BeautifulSoup(
            (built_site / f"{page}.html").read_text(encoding="utf-8"), "html.parser"
        )

    return parsed


@pytest.fixture(scope="module")
def llms_txt(built_site) -> str:
    return (built_site / "llms.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site_base_url(html_of) -> str:
    """The base URL the site was built for, as its landing page's canonical link says."""
    canonical = html_of("index").select_one("link[rel=canonical]")["href"]
    assert canonical.endswith("index.html"), canonical
    return canonical.removesuffix("index.html")


def test_there_are_pages_to_check(built_site):
    pages = site_pages(built_site)
    assert len(pages) >= 20, pages
    assert {"index", "cli", "reference/cheat-sheet", "reference/glossary"} <= set(pages)


def test_llms_txt_lists_every_page_by_its_markdown(
    llms_txt, built_site, site_base_url, markdown_of
):
    lines = llms_txt.splitlines()
    assert lines[0] == "# LSTM Outputs", lines[0]
    assert any(line.startswith("> ") for line in lines[1:4]), "no summary under the title"
    listed = {m["url"]: m["title"] for m in LISTED.finditer(llms_txt)}
    assert all(url.startswith(site_base_url) for url in listed), listed
    pages = {url.removeprefix(site_base_url).removesuffix(".html.md") for url in listed}
    assert pages == set(site_pages(built_site)), sorted(pages ^ set(site_pages(built_site)))
    for url, title in listed.items():
        page = url.removeprefix(site_base_url).removesuffix(".html.md")
        assert (built_site / f"{page}.html.md").is_file(), url
        assert title_of(markdown_of(page)) == words(title), (page, title)


def test_markdown_holds_what_the_page_computed(page, markdown_of, html_of):
    markdown = markdown_of(page)
    html = html_of(page)
    heading = copy.copy(html.find("h1"))  # its anchors dropped from a copy, not the shared tree
    for anchor in heading.select("a.headerlink"):
        anchor.decompose()
    assert title_of(markdown) == words(heading.get_text()), page
    flat = words(markdown)
    for output in html.select("div.cell_output pre"):
        assert words(output.get_text()) in flat, f"{page}: an output is missing: {output.text!r}"
    for pasted in html.select("article span.pasted-text"):
        assert words(pasted.get_text()) in flat, f"{page}: a glued value is missing: {pasted}"
    assert not LEFTOVER_MYST.search(markdown), LEFTOVER_MYST.search(markdown)


def test_markdown_figures_are_images_the_site_publishes(
    page, built_site, site_base_url, markdown_of, html_of
):
    markdown = markdown_of(page)
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", markdown)
    for image in images:
        assert image.startswith(site_base_url), f"{page}: {image} is not on the site"
        assert (built_site / image.removeprefix(site_base_url)).is_file(), f"{page}: {image}"
    assert len(images) == len(set(images)), f"{page}: an image is shown twice"
    themed = len(html_of(page).select("figure.themed-figure"))
    assert len(images) >= themed, f"{page}: {themed} figures, {len(images)} images"


def test_markdown_links_are_absolute_and_land_on_the_site(
    page, built_site, site_base_url, markdown_of
):
    for url in re.findall(r"\]\(([^)\s]+)\)", markdown_of(page)):
        assert url.startswith(("http://", "https://", "mailto:")), f"{page}: {url}"
        if url.startswith(site_base_url):
            path = url.removeprefix(site_base_url).split("#")[0]
            assert (built_site / path).is_file(), f"{page}: {url} is not on the site"


def test_llms_full_txt_holds_every_listed_page_in_order(
    llms_txt, built_site, site_base_url, markdown_of
):
    full = (built_site / "llms-full.txt").read_text(encoding="utf-8")
    starts = [
        full.index(markdown_of(m["url"].removeprefix(site_base_url)[: -len(".html.md")]).strip())
        for m in LISTED.finditer(llms_txt)
    ]
    assert starts == sorted(starts), "llms-full.txt has the pages out of llms.txt's order"
    assert "{glue" not in full
    assert '"cell_type"' not in full


def test_cells_outputs_and_glued_values_really_are_in_the_markdown(markdown_of):
    """The checks above on one page, by value: the CLI page's executed commands."""
    markdown = markdown_of("cli")
    assert "$ lstm-outputs --units 16 --features 10 --layer GRU --no-reset-after" in markdown
    assert "parameters: 1296" in markdown
    assert "the same layer has 1344 parameters" in markdown  # a glued value, in the prose


def test_download_menu_links_the_pages_markdown(page, server, markdown_of, html_of):
    html = html_of(page)
    menu = html.select_one(".dropdown-download-buttons")
    assert menu is not None, f"{page}: no download menu"
    links = [a["href"] for a in menu.select("a[href]")]
    target = f"{page.rsplit('/', 1)[-1]}.html.md"
    assert target in links, (page, links)
    url = urljoin(f"{server}/{page}.html", target)
    with urllib.request.urlopen(url) as response:
        assert response.status == 200
        assert response.read().decode("utf-8") == markdown_of(page)
