"""Figures as SVG for the site: a light and a dark version of each, glued by name.

A page's hidden cell calls :func:`glue_figure`; the site's ``themed-figure``
directive (docs/_ext/lstm_site/html/figures.py) shows the two versions in one
numbered figure, switched by the theme's ``only-light`` / ``only-dark`` classes,
each linking to its full-size SVG file.
"""

from __future__ import annotations

import io
import re

#: The dark version of a figure glued as ``name`` is glued as ``name + DARK_SUFFIX``.
DARK_SUFFIX = "-dark"


def svg_text(figure) -> str:
    """A figure as SVG markup, on a transparent background, the same on every build.

    >>> from matplotlib.figure import Figure
    >>> svg_text(Figure(figsize=(2, 1))).count('width="144pt"')
    1
    """
    import matplotlib

    text = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "lstm-outputs", "svg.fonttype": "path"}):
        figure.savefig(text, format="svg", transparent=True, metadata={"Date": None})
    return text.getvalue()


def svg_colours(svg: str) -> set[str]:
    """The colours an SVG paints with (fills, strokes, stops), upper case.

    >>> sorted(svg_colours('<path style="fill: #0072b2; stroke: #000000"/>'))
    ['#000000', '#0072B2']
    """
    found = re.findall(r"(?:fill|stroke|stop-color|color)\s*[:=]\s*\"?(#[0-9a-fA-F]{6})", svg)
    return {colour.upper() for colour in found}


def glue_figure(name: str, draw, /, *args, **kwargs) -> None:
    """Glue ``draw(*args, **kwargs)`` as SVG under ``name``, and its dark version too.

    ``draw`` takes ``dark=True`` for the dark page; the dark SVG is glued as
    ``name + DARK_SUFFIX``. Inside a page's kernel the two SVGs become the page's
    glue data; anywhere else (as here) nothing is shown.

    >>> from lstm_outputs.diagrams import four_configurations
    >>> glue_figure("landing", four_configurations)
    >>> glue_figure("", four_configurations)
    Traceback (most recent call last):
    ...
    ValueError: name must be a non-empty string, got ''
    """
    from IPython.display import SVG
    from myst_nb import glue

    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}")
    for suffix, dark in (("", False), (DARK_SUFFIX, True)):
        glue(name + suffix, SVG(svg_text(draw(*args, dark=dark, **kwargs))), display=False)
