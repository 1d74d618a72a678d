"""Published like the best: one base URL, canonical links, a complete sitemap, OpenGraph tags.

The base URL rules (lstm_site.html.publishing) are checked directly; a tiny project built twice
checks that the sitemap stays complete after an incremental, parallel build and follows the
host's environment; the built site (`nox -s docs`) is checked page by page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from lstm_site.html import publishing
from site_tools import site_outputs

ROOT = Path(__file__).resolve().parents[2]

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# --- The base URL: one rule ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:8000/"),
        ({"DOCS_BASE_URL": ""}, "http://127.0.0.1:8000/"),
        (
            {"DOCS_BASE_URL": "https://Octocat.github.io/lstm-outputs"},
            "https://octocat.github.io/lstm-outputs/",
        ),
        ({"DOCS_BASE_URL": "https://www.example.org"}, "https://www.example.org/"),
        (
            {
                "READTHEDOCS_CANONICAL_URL": "https://lstm-outputs.readthedocs.io/en/latest/",
                "DOCS_BASE_URL": "https://octocat.github.io/lstm-outputs/",
            },
            "https://lstm-outputs.readthedocs.io/en/latest/",
        ),
    ],
)
def test_base_url_follows_the_host_then_the_local_default(environ, expected):
    assert publishing.base_url(environ) == expected


@pytest.mark.parametrize(
    ("base", "prefix"),
    [
        ("http://127.0.0.1:8000/", "/"),
        ("https://octocat.github.io/lstm-outputs/", "/lstm-outputs/"),
        ("https://lstm-outputs.readthedocs.io/en/latest/", "/en/latest/"),
    ],
)
def test_the_404_root_is_the_base_url_path(base, prefix):
    assert publishing.url_prefix(base) == prefix


@pytest.mark.parametrize("url", ["octocat.github.io/x/", "/x/", "ftp://example.org/", ""])
def test_a_bad_base_url_is_named_in_one_line(url):
    with pytest.raises(ValueError, match=r"^DOCS_BASE_URL must be an absolute http\(s\) URL"):
        publishing.normalised(url, "DOCS_BASE_URL")


# --- A tiny project: sitemap and tags follow the environment, and stay complete ---------------
# The site's own extension, with what it builds on (MyST-NB, the book theme).
CONF = """
project = "Tiny"
extensions = ["myst_nb", "lstm_site"]
html_theme = "sphinx_book_theme"
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html"]
ogp_social_cards = {"enable": False}
"""
PAGES = ["index", "one", "two", "three"]


def _tiny_project(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "conf.py").write_text(CONF)
    toctree = "\n".join(f"   {page}" for page in PAGES[1:])
    (source / "index.rst").write_text(
        f"Tiny\n====\n\nThe home page.\n\n.. toctree::\n\n{toctree}\n"
    )
    for page in PAGES[1:]:
        title = f"Page {page}"
        (source / f"{page}.rst").write_text(
            f"{title}\n{'=' * len(title)}\n\nText of page {page}.\n"
        )
    return source


def _run_sphinx(source: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in publishing.BASE_URL_VARIABLES}
    out = source.parent / "html"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-j",
            "2",
            "-b",
            "html",
            str(source),
            str(out),
        ],
        env={**env, **environ},
        capture_output=True,
        text=True,
        check=False,
    )


def _build(source: Path, **environ: str) -> Path:
    result = _run_sphinx(source, **environ)
    assert result.returncode == 0, result.stderr
    assert not result.stderr, result.stderr
    # sphinxext-opengraph's "matplotlib is not installed" line is kept off the log.
    assert not result.stdout, result.stdout
    return source.parent / "html"


def test_social_cards_ask_for_what_the_site_turned_off(tmp_path):
    source = _tiny_project(tmp_path)
    conf = source / "conf.py"
    conf.write_text(conf.read_text().replace('{"enable": False}', '{"enable": True}'))
    result = _run_sphinx(source)
    assert result.returncode != 0
    assert "ogp_social_cards: lstm_site.html.publishing loads sphinxext-opengraph" in result.stderr


def _sitemap(site: Path) -> list[str]:
    tree = ElementTree.parse(site / "sitemap.xml")
    return [loc.text for loc in tree.getroot().iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_every_page_after_an_incremental_parallel_build(tmp_path):
    source = _tiny_project(tmp_path)
    base = "https://octocat.github.io/tiny/"
    site = _build(source, DOCS_BASE_URL=base)
    expected = [f"{base}{page}.html" for page in sorted(PAGES)]
    assert _sitemap(site) == expected
    # One page changed: Sphinx rewrites one page only (sphinx-sitemap alone listed that one).
    (source / "two.rst").write_text("Page two\n========\n\nNew text.\n")
    site = _build(source, DOCS_BASE_URL=base)
    assert _sitemap(site) == expected


def test_the_canonical_link_and_og_url_follow_the_environment(tmp_path):
    source = _tiny_project(tmp_path)
    site = _build(source, READTHEDOCS_CANONICAL_URL="https://tiny.readthedocs.io/en/latest/")
    tags = _head(site / "one.html")
    assert tags.canonical == "https://tiny.readthedocs.io/en/latest/one.html"
    assert tags.og["og:url"] == "https://tiny.readthedocs.io/en/latest/one.html"


# --- The built site -------------------------------------------------------------------------
class _Head(HTMLParser):
    """The canonical link and the og: meta tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.canonical: str | None = None
        self.og: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values.get("href")
        if tag == "meta" and (values.get("property") or "").startswith("og:"):
            self.og[values["property"]] = values.get("content") or ""


def _head(page: Path) -> _Head:
    parser = _Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_sitemap_lists_every_page_at_the_base_url(built_site):
    base = publishing.LOCAL_BASE_URL
    expected = sorted(f"{base}{page}" for page in site_outputs.sources(ROOT / "docs"))
    assert sorted(_sitemap(built_site)) == expected


@pytest.mark.parametrize("page", site_outputs.sources(ROOT / "docs"))
def test_every_page_has_its_canonical_link_and_opengraph_tags(built_site, page):
    url = publishing.LOCAL_BASE_URL + page
    tags = _head(built_site / page)
    assert tags.canonical == url
    assert tags.og["og:url"] == url
    assert tags.og["og:type"] == "website"
    assert tags.og["og:site_name"] == "LSTM Outputs"
    assert tags.og["og:title"]
    # The description is what a link preview shows: plain text, no LaTeX source.
    assert "\\" not in tags.og.get("og:description", ""), tags.og["og:description"]
    # No image from another host (and no generated card): og:image only if the site serves it.
    image = tags.og.get("og:image")
    assert image is None or image.startswith(publishing.LOCAL_BASE_URL), image
