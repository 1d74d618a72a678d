"""The built site loads nothing from another host, and every file it loads is there.

Links *to* other sites (`<a href>`) are fine; a script, stylesheet, font, image or frame
fetched from one is not: the site must work from file:// or on a laptop on a plane.
`nox -s tests` builds the site first (the tests fail without it).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# <link rel=...> values that make the browser fetch (or connect to) the target.
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "mask-icon",
}
# Tag -> attributes whose URL the browser loads by itself.
LOADING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


class ResourceParser(HTMLParser):
    """Collects the URLs a page loads: tag attributes, inline styles and <style> blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link":
            rels = set((values.get("rel") or "").lower().split())
            if rels & LOADING_RELS and values.get("href"):
                self.urls.append((f"<link rel={values.get('rel')}>", values["href"]))
        for attr in LOADING_ATTRS.get(tag, ()):
            value = values.get(attr)
            if value:
                for url in value.split(",") if attr == "srcset" else [value]:
                    self.urls.append((f"<{tag} {attr}>", url.strip().split(" ")[0]))
        if values.get("style"):
            self.urls += [(f"<{tag} style>", u) for u in _css_urls(values["style"])]
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += [("<style>", u) for u in _css_urls(data)]


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


def _is_remote(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme not in ("", "data", "blob", "about", "file")


def _pages(site: Path) -> list[Path]:
    """The site's HTML pages (not the theme's template fragments under _static)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def _resources(page: Path) -> list[tuple[str, str]]:
    parser = ResourceParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


def test_pages_load_nothing_from_other_hosts(built_site):
    pages = _pages(built_site)
    assert len(pages) >= 3, pages  # index, search, genindex at least
    remote = [
        f"{page.relative_to(built_site)}: {where} {url}"
        for page in pages
        for where, url in _resources(page)
        if _is_remote(url)
    ]
    assert not remote, "resources loaded from other hosts:\n" + "\n".join(remote)


def test_stylesheets_load_nothing_from_other_hosts(built_site):
    remote = [
        f"{css.relative_to(built_site)}: {url}"
        for css in sorted(built_site.rglob("*.css"))
        for url in _css_urls(css.read_text(encoding="utf-8", errors="replace"))
        if _is_remote(url)
    ]
    assert not remote, "stylesheets fetching from other hosts:\n" + "\n".join(remote)


def test_every_local_resource_exists(built_site):
    """What works from file:// must be in the folder: no missing script, style or image."""
    missing = []
    for page in _pages(built_site):
        for where, url in _resources(page):
            parts = urlsplit(url)
            if _is_remote(url) or parts.scheme or not parts.path:
                continue
            path = unquote(parts.path)
            # The 404 page uses root-relative links (it is served at any depth).
            target = built_site / path.lstrip("/") if path.startswith("/") else page.parent / path
            if not target.exists():
                missing.append(f"{page.relative_to(built_site)}: {where} {url}")
    assert not missing, "missing local resources:\n" + "\n".join(missing)


def test_mathjax_is_served_from_the_site(built_site):
    mathjax = built_site / "_static" / "mathjax" / "tex-svg.js"
    assert mathjax.is_file()
    assert mathjax.stat().st_size > 1_000_000
    math_pages = [
        page for page in _pages(built_site) if "tex-svg.js" in page.read_text(encoding="utf-8")
    ]
    for page in math_pages:
        assert "cdn.jsdelivr.net" not in page.read_text(encoding="utf-8"), page


def test_the_site_has_its_search_index_and_404_page(built_site):
    assert (built_site / "searchindex.js").stat().st_size > 1000
    assert (built_site / "search.html").is_file()
    assert "Page not found" in (built_site / "404.html").read_text(encoding="utf-8")
