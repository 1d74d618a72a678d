"""Accessibility fixes for the theme's own markup, found by the browser tests (axe-core).

- The sidebar's expand/collapse toggles (pydata-sphinx-theme wraps each section with
  children in ``<details><summary>`` holding only a chevron icon) have no accessible name
  (axe: summary-name, serious). Each ``<summary>`` gets an ``aria-label`` naming its section.
- Rich, which Keras's ``model.summary()`` uses, colours its HTML output with inline styles,
  some too faint on the theme's output background (axe: color-contrast, serious). The
  stylesheet keeps such text at the theme's own colour; bold and layout stay.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

STATIC = Path(__file__).parent / "static"
# A toctree entry's link, then the <details><summary> the theme appends after it.
_TOGGLE = re.compile(
    r"(<a [^>]*>(?P<title>(?:(?!</a>).)*)</a>\s*<details(?: open=\"open\")?>\s*)<summary>",
    re.DOTALL,
)
_TAGS = re.compile(r"<[^>]+>")


def label_toggles(toctree_html: str) -> str:
    """Give every bare section toggle an aria-label naming the section.

    >>> label_toggles('<a class="current reference internal" href="#">Learn <em>it</em></a>'
    ...               '<details open="open"><summary><span class="toctree-toggle"></span>')
    ... # doctest: +ELLIPSIS
    '...<details open="open"><summary aria-label="Show or hide the pages of Learn it"><span...'
    """

    def label(match: re.Match[str]) -> str:
        title = html.unescape(_TAGS.sub("", match["title"])).strip()
        return (
            f'{match[1]}<summary aria-label="{html.escape(f"Show or hide the pages of {title}")}">'
        )

    return _TOGGLE.sub(label, toctree_html)


def wrap_toctree(app, pagename, templatename, context, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "labels_toggles", False):
        return

    def generate_labelled(*args, **kwargs):
        out = generate(*args, **kwargs)
        if isinstance(out, str):
            return type(out)(label_toggles(out))
        # The theme returns a BeautifulSoup document: rebuild it with the parser named,
        # or bs4 warns (GuessedAtParserWarning) into the build log.
        return type(out)(label_toggles(str(out)), features="html.parser")

    generate_labelled.labels_toggles = True
    context["generate_toctree_html"] = generate_labelled


def add_static(app) -> None:
    app.config.html_static_path.append(str(STATIC))
