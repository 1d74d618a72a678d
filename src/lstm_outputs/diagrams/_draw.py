"""Drawing primitives shared by the diagrams: arrows, boxes, a state's symbol, a blank figure."""

from __future__ import annotations

from lstm_outputs.diagrams.palette import Ink

#: ``gid`` of a highlighted (returned) symbol and of a returned tensor's label.
RETURNED_GID = "returned"
TENSOR_GID = "tensor"


def new_figure(width: float, height: float, xlim, ylim):
    """A transparent figure of ``width`` × ``height`` inches with one frameless axes."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="none")
    figure.patch.set_alpha(0)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    return figure, ax


def arrow(ax, start, end, *, color, width=1.3, style="-|>"):
    """A straight arrow from ``start`` to ``end`` (``style="-"``: a plain line)."""
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle=style, mutation_scale=12, color=color, linewidth=width, zorder=1
        )
    )


def box(ax, x, y, width, height, ink: Ink, *, text="", facecolor=None, edgecolor=None,
        size=11, zorder=2, family=None, textcolor=None):  # fmt: skip
    """A rounded box centred on ``(x, y)``, with optional text in it."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=ink.fill if facecolor is None else facecolor,
            edgecolor=ink.text if edgecolor is None else edgecolor,
            linewidth=1.2,
            zorder=zorder,
        )
    )
    if text:
        ink_colour = textcolor or (ink.on_hidden if facecolor == ink.hidden else ink.text)
        ax.text(x, y, text, ha="center", va="center", fontsize=size, color=ink_colour,
                zorder=zorder + 1, family=family)  # fmt: skip


def symbol(ax, x, y, text, ink: Ink, *, returned, color, size=13, gid=None):
    """A state's symbol: filled in its colour when returned, outlined grey otherwise."""
    bbox = {
        "boxstyle": "round,pad=0.3",
        "facecolor": color if returned else ink.paper,
        "edgecolor": color if returned else ink.muted,
        "linewidth": 1.2,
    }
    text_colour = (ink.on_hidden if color == ink.hidden else "#000000") if returned else ink.muted
    return ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=size,
        color=text_colour,
        bbox=bbox,
        gid=gid if gid is not None else (RETURNED_GID if returned else None),
        zorder=3,
    )


def swatch(colour: str, label: str):
    """A legend entry: a square of ``colour`` named ``label``."""
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, edgecolor=colour, label=label)


def legend(ax, handles, ink: Ink, **options):
    """A frameless legend in the page's text colour: where colour carries meaning."""
    options = {"fontsize": 10, "frameon": False, "labelcolor": ink.text, **options}
    return ax.legend(handles=handles, **options)
