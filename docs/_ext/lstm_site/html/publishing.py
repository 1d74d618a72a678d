"""Where the site is published: one base URL, read from the host's environment.

The base URL is the address of the site's root page folder, ending in "/". It gives the
canonical link of every page (``html_baseurl``), the sitemap's addresses (sphinx-sitemap),
the OpenGraph ``og:url`` (sphinxext-opengraph) and, as its path, the 404 page's root
(``notfound_urls_prefix``). One rule, in this order:

1. ``READTHEDOCS_CANONICAL_URL``: Read the Docs sets it on every build;
2. ``DOCS_BASE_URL``: the GitHub Pages workflow sets it from ``actions/configure-pages``;
3. otherwise :data:`LOCAL_BASE_URL`, where ``nox -s serve`` serves a local build, so a
   local strict build has a base URL too and sphinx-sitemap never warns.

``-D html_baseurl=...`` on the command line wins over all three for the canonical links,
the sitemap and ``og:url``; the 404 page's root is read from the environment in conf.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

from sphinx.errors import ExtensionError
from sphinx_sitemap import is_excluded

# Where `nox -s serve` (sphinx-autobuild --port 8000) serves a local build.
LOCAL_BASE_URL = "http://127.0.0.1:8000/"
# The environment variables that name the base URL, first found wins.
BASE_URL_VARIABLES = ("READTHEDOCS_CANONICAL_URL", "DOCS_BASE_URL")


def base_url(environ: Mapping[str, str] | None = None) -> str:
    """The site's base URL from an environment (``os.environ`` by default).

    >>> base_url({})
    'http://127.0.0.1:8000/'
    >>> base_url({"DOCS_BASE_URL": "https://Octocat.github.io/lstm-outputs"})
    'https://octocat.github.io/lstm-outputs/'
    >>> base_url({"READTHEDOCS_CANONICAL_URL": "https://lstm.readthedocs.io/en/latest/",
    ...           "DOCS_BASE_URL": "https://octocat.github.io/lstm-outputs/"})
    'https://lstm.readthedocs.io/en/latest/'
    >>> base_url({"DOCS_BASE_URL": "octocat.github.io/lstm-outputs"})
    Traceback (most recent call last):
    ...
    ValueError: DOCS_BASE_URL must be an absolute http(s) URL, got 'octocat.github.io/lstm-outputs'
    """
    environ = os.environ if environ is None else environ
    for name in BASE_URL_VARIABLES:
        if environ.get(name):
            return normalised(environ[name], name)
    return LOCAL_BASE_URL


def normalised(url: str, name: str = "html_baseurl") -> str:
    """``url`` with a lower-case host and a path ending in "/"; ``name`` is named on error.

    >>> normalised("https://Example.org")
    'https://example.org/'
    >>> normalised("ftp://example.org/")
    Traceback (most recent call last):
    ...
    ValueError: html_baseurl must be an absolute http(s) URL, got 'ftp://example.org/'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{name} must be an absolute http(s) URL, got {url!r}")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def url_prefix(url: str) -> str:
    """The path of a base URL: the site's root on its host, as the 404 page needs it.

    >>> url_prefix("https://octocat.github.io/lstm-outputs/")
    '/lstm-outputs/'
    >>> url_prefix(LOCAL_BASE_URL)
    '/'
    """
    return urlsplit(url).path


def configure(app, config) -> None:
    """Fill in the base URL and what follows from it, unless conf.py or -D set them."""
    config.html_baseurl = normalised(config.html_baseurl) if config.html_baseurl else base_url()
    if not config.ogp_site_url:
        config.ogp_site_url = config.html_baseurl


def complete_sitemap(app, exception) -> None:
    """List every page in the sitemap, not only those written by this (incremental) build.

    sphinx-sitemap collects the pages as they are written, so after a cached build that
    rewrote two pages its sitemap.xml listed two (jdillard/sphinx-sitemap#13, open). Runs
    just before it: the written pages are taken from its queue and put back, sorted,
    together with every other page of the project.
    """
    links = getattr(app.env.app, "sitemap_links", None)
    if exception is not None or links is None or app.builder.format != "html":
        return
    entries = {}
    while not links.empty():
        link, last_updated = links.get_nowait()
        entries[link] = last_updated
    suffix = app.config.html_file_suffix or ".html"
    for docname in app.env.found_docs:
        entries.setdefault(docname + suffix, None)
    for link in sorted(entries):
        if not is_excluded(link, app.config.sitemap_excludes):
            links.put((link, entries[link]))


#: sphinxext-opengraph's social cards, which import matplotlib when the extension is
#: imported: 0.33 s of every build, for cards this site never makes (conf.py turns them off).
SOCIAL_CARDS = "sphinxext.opengraph._social_cards"


def load_sitemap_and_opengraph(app) -> None:
    """Load sphinx-sitemap, and sphinxext-opengraph as where matplotlib is missing: its own
    path, no cards.

    The extension imports its card module at import time and, when that import fails,
    prints one line and carries on without cards; the module is blocked (``None`` in
    ``sys.modules`` makes its import fail) and the line kept off the build log.
    """
    app.setup_extension("sphinx_sitemap")
    sys.modules.setdefault(SOCIAL_CARDS, None)
    with contextlib.redirect_stdout(io.StringIO()):
        app.setup_extension("sphinxext.opengraph")


def no_social_cards(app, config) -> None:
    if (config.ogp_social_cards or {}).get("enable", True) and sys.modules[SOCIAL_CARDS] is None:
        raise ExtensionError(
            "ogp_social_cards: lstm_site.html.publishing loads sphinxext-opengraph without its "
            'social cards; set ogp_social_cards = {"enable": False}'
        )
