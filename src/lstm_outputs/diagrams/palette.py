"""The one palette of every figure, and the ink it takes on a light and a dark page.

Colours keep one meaning on every page: hidden states ``h`` are blue, cell states
``c`` orange, what is computed but not returned grey, and errors vermillion
(Okabe–Ito ``#D55E00``, the site's error colour). Series that are none of these
(two models, two runs) take ``Ink.series``, never blue or orange.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass

#: The Okabe–Ito colour-blind-safe palette.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: Hidden states are blue, cell states orange, everything not returned grey, errors vermillion.
HIDDEN = OKABE_ITO["blue"]
CELL = OKABE_ITO["orange"]
MUTED = "#8C8C8C"
ERROR = OKABE_ITO["vermillion"]
FAINT = "#F2F2F2"


@dataclass(frozen=True)
class Ink:
    """The colours of one page's figures: each role has one colour.

    ``paper`` is the page's background (what a box is filled with to hide the lines
    behind it; the figure itself stays transparent), ``on_hidden`` the text on a
    filled hidden state, ``frame`` thin lines such as grids and panel frames, ``fill``
    a neutral box, ``series`` the colours of data that is neither ``h`` nor ``c``.
    """

    text: str
    paper: str
    hidden: str
    on_hidden: str
    cell: str
    muted: str
    error: str
    frame: str
    fill: str
    series: tuple[str, str]


LIGHT = Ink(
    text="#000000",
    paper="#FFFFFF",
    hidden=HIDDEN,
    on_hidden="#FFFFFF",
    cell=CELL,
    muted=MUTED,
    error=ERROR,
    frame="#D0D0D0",
    fill=FAINT,
    series=(OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"]),
)
#: On the theme's dark page (#14181E) blue is the palette's sky blue, which reads there.
DARK = Ink(
    text="#CED6DD",
    paper="#14181E",
    hidden=OKABE_ITO["sky_blue"],
    on_hidden="#000000",
    cell=CELL,
    muted=MUTED,
    error=ERROR,
    frame="#48505A",
    fill="#262C34",
    series=(OKABE_ITO["bluish_green"], OKABE_ITO["reddish_purple"]),
)


def ink(dark: bool) -> Ink:
    """The ink for a light (``False``) or a dark (``True``) page.

    >>> ink(False).hidden, ink(True).hidden
    ('#0072B2', '#56B4E9')
    >>> ink("dark")
    Traceback (most recent call last):
    ...
    TypeError: dark must be True or False, got 'dark'
    """
    if not isinstance(dark, bool):
        raise TypeError(f"dark must be True or False, got {dark!r}")
    return DARK if dark else LIGHT


def _colours(value) -> set[str]:
    if isinstance(value, tuple):
        return set().union(*map(_colours, value))
    return {value}


#: Every colour a figure may use: the Okabe–Ito eight and the neutrals of both inks.
PALETTE = frozenset(
    c.upper() for c in set(OKABE_ITO.values()).union(*(_colours(astuple(i)) for i in (LIGHT, DARK)))
)


def diverging(dark: bool):
    """A colour map for values around 0, from the palette: purple, the page, green.

    Blue and orange are left out: they mean ``h`` and ``c``, not a sign.

    >>> cmap = diverging(False)
    >>> [round(float(c), 2) for c in cmap(0.5)[:3]]
    [1.0, 1.0, 1.0]
    """
    from matplotlib.colors import LinearSegmentedColormap

    page = ink(dark)
    colours = [OKABE_ITO["reddish_purple"], page.paper, OKABE_ITO["bluish_green"]]
    return LinearSegmentedColormap.from_list("okabe_ito_diverging", colours)
