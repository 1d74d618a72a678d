"""Which files are pages: of docs/ (the sources) and of a built site (the HTML pages).

One rule for the tests, the bench and :mod:`site_tools.site_outputs`. Standard library only.
"""

from __future__ import annotations

from pathlib import Path

#: Folders of docs/ that hold no page sources, and of a built site that hold no pages.
NOT_SOURCES = frozenset(
    {
        "_build",
        "_static",
        "_templates",
        "_ext",
        "_inventories",
        "jupyter_execute",
        ".ipynb_checkpoints",
    }
)
NOT_PAGES = frozenset(
    {"_static", "_sources", "_images", "_downloads", ".doctrees", "jupyter_execute"}
)
PAGE_SUFFIXES = (".md", ".ipynb")


def is_page(relative: Path) -> bool:
    """Whether a file, relative to docs/, is a page source.

    >>> [is_page(Path(p)) for p in ("index.md", "learn/x.md", "README.md", "_build/a.md")]
    [True, True, False, False]
    """
    return (
        relative.suffix in PAGE_SUFFIXES
        and relative.as_posix() != "README.md"
        and not NOT_SOURCES.intersection(relative.parts[:-1])
    )


def page_sources(docs: Path) -> list[Path]:
    """The page sources under docs/, sorted.

    >>> page_sources(Path("/no/such/docs"))
    []
    """
    if not docs.is_dir():
        return []
    return sorted(p for p in docs.rglob("*") if p.is_file() and is_page(p.relative_to(docs)))


def built_pages(site: Path) -> list[str]:
    """The HTML pages of a built site, relative to it.

    >>> built_pages(Path("/no/such/site"))
    []
    """
    if not site.is_dir():
        return []
    return [
        path.relative_to(site).as_posix()
        for path in sorted(site.rglob("*.html"))
        if not NOT_PAGES.intersection(path.relative_to(site).parts[:-1])
    ]
