"""Every page downloadable as Markdown with its computed outputs, every notebook page as the
reader's notebook, beside its MyST source.

The page's Markdown (:mod:`lstm_site.html.page_markdown`) is published beside its HTML, as
``PAGE.html.md``, and added first to the theme's download menu.

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

import posixpath
from pathlib import Path

import nbformat
from sphinx.util import logging

from lstm_site.html.page_markdown import SUFFIX, page_markdown
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


def load_markdown_translator(app) -> None:
    """sphinx-markdown-builder: its translator's settings (its builder is not used)."""
    app.setup_extension("sphinx_markdown_builder")


def offer_markdown(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or pagename not in app.env.found_docs:
        return
    try:
        markdown = page_markdown(app, pagename, doctree)
    # As for the notebook: whatever fails reaches the log as this page's warning.
    except Exception as error:  # noqa: BLE001
        logger.warning(
            "the page's Markdown cannot be written: %s: %s",
            type(error).__name__,
            error,
            location=pagename,
            type="lstm_site",
            subtype="page_markdown",
        )
        return
    html_file = app.builder.get_target_uri(pagename)
    published = Path(app.outdir) / f"{html_file}{SUFFIX}"
    published.parent.mkdir(parents=True, exist_ok=True)
    published.write_text(markdown, encoding="utf-8")
    context["markdown_page"] = posixpath.basename(html_file) + SUFFIX


def add_markdown_button(app, pagename, templatename, context, doctree) -> None:
    """The page's Markdown first in the theme's download menu, its MyST source named so."""
    if "markdown_page" not in context:
        return
    for group in context.get("header_buttons", []):
        if group.get("label") != "download-buttons":
            continue
        for button in group["buttons"]:
            if button.get("label") == "download-source-button":
                button["text"] = ".md (MyST source)"
        group["buttons"].insert(
            0,
            {
                "type": "link",
                "url": context["markdown_page"],
                "text": ".md (with outputs)",
                "tooltip": "This page as Markdown, with its computed outputs",
                "icon": "fab fa-markdown",
                "label": "download-markdown-button",
            },
        )
