"""How large a figure and its text are on the page.

A figure is shown at its own size (``figsize`` inches × 96 px) unless that is wider
than the article's text column, which then scales it down. The column is
:data:`CONTENT_WIDTH_PX` wide at a 1440 px desktop window (sphinx-book-theme, measured
in Chromium: a paragraph of the article is 790 px wide). Text must be at least
:data:`MIN_TEXT_PX` on screen there; matplotlib writes SVG text as paths, so the
size is read from the figure's artists: font size in points × 4/3 × the scale.
"""

from __future__ import annotations

#: Width of the article's text column at a 1440 px window: the widest a figure is shown.
CONTENT_WIDTH_PX = 790
#: CSS pixels per inch and per point (the SVG's width is written in points).
PX_PER_INCH = 96
PX_PER_POINT = PX_PER_INCH / 72
#: The smallest text a figure may show at 1440 px.
MIN_TEXT_PX = 12


def natural_width_px(figure) -> float:
    """The figure's own width in CSS pixels.

    >>> from matplotlib.figure import Figure
    >>> natural_width_px(Figure(figsize=(7.5, 3)))
    720.0
    """
    return float(figure.get_figwidth()) * PX_PER_INCH


def displayed_scale(figure) -> float:
    """How much the page scales the figure at 1440 px: 1, or less when it is too wide.

    >>> from matplotlib.figure import Figure
    >>> displayed_scale(Figure(figsize=(7.5, 3)))
    1.0
    >>> round(displayed_scale(Figure(figsize=(10, 3))), 3)
    0.823
    """
    return min(1.0, CONTENT_WIDTH_PX / natural_width_px(figure))


def text_sizes_px(figure) -> dict[str, float]:
    """Each visible text of a figure and its size on screen at 1440 px, in CSS pixels.

    Tick labels count too: the figure is drawn first, which is when matplotlib makes them.

    >>> from matplotlib.figure import Figure
    >>> figure = Figure(figsize=(7.5, 3))
    >>> _ = figure.text(0.5, 0.5, "h_T", fontsize=9)
    >>> text_sizes_px(figure)
    {'h_T': 12.0}
    """
    from matplotlib.text import Text

    figure.draw_without_rendering()
    scale = displayed_scale(figure)
    sizes: dict[str, float] = {}
    for text in figure.findobj(Text):
        content = text.get_text().strip()
        if content and text.get_visible():
            size = text.get_fontsize() * PX_PER_POINT * scale
            sizes[content] = min(size, sizes.get(content, size))
    return sizes
