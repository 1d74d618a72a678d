"""How the site is built: one definition of each rule, for conf.py, the noxfile, the tests
and the bench. Standard library only (the noxfile imports it before any environment exists).
"""

from __future__ import annotations

from pathlib import Path

#: sphinx-build's options for every build of the site: warnings are errors (``-W``), all of
#: them reported at once (``--keep-going``), every cross-reference must resolve (``-n``), a
#: failing cell's full traceback printed (``-T``: a parallel reader's own log is lost when
#: it fails), pages read (so executed) two at a time (``-j auto`` on the 2-core machines).
SPHINX_OPTIONS = ("-W", "--keep-going", "-n", "-T", "-j", "auto", "-b", "html")

#: Where a site build keeps its doctrees, relative to the repository: outside the HTML, so
#: ``environment.pickle`` (which holds absolute build paths) is never published.
DOCTREES = "docs/_build/doctrees"

#: The environment of every page's kernel (and of the bench's page scripts). No thread caps:
#: eight pairs of cold builds on 2 cores, kernels uncapped and capped to one thread each
#: (``nox -s bench -- --thread-caps N``), were within 1 % on average (capped faster in 4 of
#: 8), less than the 10 % the same build varies by from run to run; the outputs were the same.
KERNEL_ENV = {
    "KERAS_BACKEND": "tensorflow",
    "PYTHONHASHSEED": "0",
    # Level 3: TensorFlow's C++ runtime prints a harmless oneDNN notice at ERROR level on
    # CPUs without AVX-512 when some ops first run; 3 keeps it off the page and stderr.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # matplotlib stamps SVG/PDF with this date instead of now.
    "SOURCE_DATE_EPOCH": "0",
}

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
