"""Every notebook page downloadable as the reader's notebook, beside its MyST source.

The page's notebook (:mod:`lstm_site.html.reader_notebook`: no hidden cells, no glue, the
executed outputs) is published under ``_sources/`` and the theme's download menu links it.
Its links point to the site at its base URL (``html_baseurl``, which
:mod:`lstm_site.html.publishing` always sets), so they work wherever the file is opened.

A page whose notebook cannot be built gets a warning naming the page, so a strict build
(``-W``) fails. It is a warning, not an exception: a handler that raises in Sphinx's parallel
writer can lose the page without failing the build, while a warning logged there is replayed
in the main process and counted.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from sphinx.util import logging

from lstm_site.html.reader_notebook import reader_notebook

logger = logging.getLogger(__name__)


def offer_notebook(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or pagename not in app.env.found_docs:
        return
    try:
        notebook = reader_notebook(app, pagename, app.config.html_baseurl)
    # Whatever fails, a bug included, must reach the log as this page's warning (see above).
    except Exception as error:  # noqa: BLE001
        logger.warning(
            "the reader's notebook cannot be built: %s: %s",
            type(error).__name__,
            error,
            location=pagename,
            type="lstm_site",
            subtype="reader_notebook",
        )
        return
    if notebook is None:  # a plain Markdown page
        return
    published = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    published.parent.mkdir(parents=True, exist_ok=True)
    published.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"
