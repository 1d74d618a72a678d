"""``llms-full.txt``: every page's Markdown with its outputs, in the order ``llms.txt`` lists them.

sphinx-llms-txt writes ``llms.txt`` (conf.py configures it to list each page's Markdown,
``PAGE.html.md``). Its own ``llms-full.txt`` joins the pages' sources from ``_sources/``:
MyST with unresolved ``{glue}`` roles, no outputs, and the reader's notebooks as JSON; and
0.7.1 writes it even with ``llms_txt_full_file = False``. So after it, this module writes
the file again from the Markdown pages themselves. Their links are absolute
(:mod:`lstm_site.html.page_markdown`), so they hold in one file too.
"""

from __future__ import annotations

import re
from pathlib import Path

#: A page in llms.txt: ``- [Title](URL)``.
LISTED = re.compile(r"^- \[[^\]]*\]\((?P<url>[^)\s]+)\)", re.MULTILINE)


def joined_pages(llms_txt: str, base_url: str, outdir: Path) -> str:
    """The Markdown pages that ``llms_txt`` lists, read from ``outdir``, one after another.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> _ = (site / "a.html.md").write_text("# A\\n")
    >>> _ = (site / "b.html.md").write_text("# B\\n")
    >>> listing = "# Site\\n\\n- [B](https://x.org/b.html.md)\\n- [A](https://x.org/a.html.md)\\n"
    >>> print(joined_pages(listing, "https://x.org/", site))
    # B
    <BLANKLINE>
    # A
    <BLANKLINE>
    """
    pages = []
    for match in LISTED.finditer(llms_txt):
        url = match["url"]
        if not url.startswith(base_url):
            raise ValueError(f"llms.txt lists {url}, which is not on the site ({base_url})")
        pages.append((outdir / url.removeprefix(base_url)).read_text(encoding="utf-8").strip())
    return "\n\n".join(pages) + "\n"


def write_llms_full(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    llms_txt = (outdir / app.config.llms_txt_filename).read_text(encoding="utf-8")
    full = joined_pages(llms_txt, app.config.html_baseurl, outdir)
    (outdir / app.config.llms_txt_full_filename).write_text(full, encoding="utf-8")


def load_llms_txt(app) -> None:
    """sphinx-llms-txt, which writes llms.txt, the list this module follows."""
    app.setup_extension("sphinx_llms_txt")
