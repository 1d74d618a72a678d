"""Figures in both colour schemes: the ``themed-figure`` directive.

A page's hidden cell glues a figure twice with ``lstm_outputs.diagrams.glue_figure``
(``name`` drawn for the light page, ``name-dark`` for the dark one, both SVG). The
directive shows them as ONE figure, numbered on its page ("Figure 1", "Figure 2", ...)::

    ```{themed-figure} name
    :alt: What the figure shows, in words.

    The caption.
    ```

- each image carries the theme's ``only-light`` / ``only-dark`` class: an ``<img>``
  cannot see the theme's toggle, so the theme shows the one that matches;
- each image gets its own width in CSS pixels (the SVG's ``width``, in points × 4/3),
  so it is shown at the size its text was checked at (``lstm_outputs.diagrams.sizing``),
  and Sphinx links a sized image to its full-size file (``html_scaled_image_link``);
- the number is counted per page, in reading order, by the directive: Sphinx's ``numfig``
  counts across the site (the Bidirectional page's only figure was "Figure 12") and walks
  every page's doctree on every build to do it;
- the images sit in one box (``themed-figure-images``), which docs/_static/custom.css
  lets scroll sideways on a phone instead of shrinking the text below legibility.
"""

from __future__ import annotations

import re
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from myst_nb.core.variables import RetrievalError, render_variable_outputs
from myst_nb.ext.glue.utils import glue_warning, retrieve_glue_data
from myst_nb.ext.utils import DirectiveBase

from lstm_outputs.diagrams.sizing import PX_PER_POINT
from lstm_outputs.diagrams.svg import DARK_SUFFIX

SVG = "image/svg+xml"
#: How a figure's number reads, before its caption.
NUMBER_FORMAT = "Figure {} "
THEMES = (("", "only-light"), (DARK_SUFFIX, "only-dark"))
_WIDTH = re.compile(r'<svg[^>]*?\swidth="(?P<value>[0-9.]+)(?P<unit>pt|px)?"')


def svg_width_px(svg: str) -> int:
    """The width an SVG asks for, in CSS pixels (matplotlib writes points).

    >>> svg_width_px('<svg xmlns="http://www.w3.org/2000/svg" width="540pt" height="10pt">')
    720
    >>> svg_width_px('<svg width="300">')
    300
    """
    match = _WIDTH.search(svg)
    if match is None:
        raise ValueError("the SVG has no width")
    scale = PX_PER_POINT if match["unit"] == "pt" else 1
    return round(float(match["value"]) * scale)


class ThemedFigure(DirectiveBase):
    """One figure, numbered on its page, from a light and a dark SVG glued as ``key`` and
    ``key-dark``."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar = {
        "alt": directives.unchanged_required,
        "figclass": directives.class_option,
        "name": directives.unchanged,
    }

    def run(self):
        key = self.arguments[0]
        if "alt" not in self.options:
            return [glue_warning(f"themed-figure {key!r} needs :alt:", self.document, self.line)]
        if not self.content:
            return [
                glue_warning(f"themed-figure {key!r} needs a caption", self.document, self.line)
            ]
        figure = nodes.figure("", classes=["themed-figure", *self.options.get("figclass", [])])
        self.set_source_info(figure)
        # The images share one box: the theme hides a caption that follows an only-dark
        # element (`.only-dark ~ figcaption`), and the box, not the caption, scrolls.
        images = nodes.container(classes=["themed-figure-images"])
        figure += images
        for suffix, theme in THEMES:
            try:
                data = retrieve_glue_data(self.document, key + suffix)
            except RetrievalError as error:
                return [glue_warning(str(error), self.document, self.line)]
            if SVG not in data.data:
                message = f"glue {key + suffix!r} is not an SVG: glue it with diagrams.glue_figure"
                return [glue_warning(message, self.document, self.line)]
            width = svg_width_px(data.data[SVG])
            rendered = render_variable_outputs([data], self.document, self.line, self.source)
            for image in (i for node in rendered for i in node.findall(nodes.image)):
                image["alt"] = self.options["alt"]
                image["width"] = f"{width}px"
                image["classes"].append(theme)
                images += image.deepcopy()
        self.add_name(figure)
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        first = holder[0]
        if not isinstance(first, nodes.paragraph):
            return [glue_warning("the caption must be a paragraph", self.document, self.line)]
        number = self.state.document.settings.env.new_serialno("themed-figure") + 1
        label = nodes.inline("", NUMBER_FORMAT.format(number), classes=["caption-number"])
        caption = nodes.caption(first.rawsource, "", label, *first.children)
        caption.source, caption.line = first.source, first.line
        figure += caption
        if len(holder) > 1:
            figure += nodes.legend("", *holder[1:])
        return [figure]
