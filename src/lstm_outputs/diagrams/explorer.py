"""The explorer's diagrams: one unrolled layer per kind and wrapper, an id on every state.

The explorer page highlights what a topology returns by adding a class to the SVG groups
whose ids :func:`highlights` lists; the diagram itself is drawn once, here, with every
state grey. Colours are :mod:`lstm_outputs.diagrams`'s palette.

matplotlib is imported inside the functions, so ``import lstm_outputs`` stays light.
"""

from __future__ import annotations

import io
import re

from lstm_outputs.configs import LAYERS
from lstm_outputs.diagrams._draw import arrow, new_figure
from lstm_outputs.diagrams.palette import CELL, DARK, FAINT, HIDDEN, LIGHT, MUTED
from lstm_outputs.topologies import Topology, tensor_templates
from lstm_outputs.validation import check_choice, check_flag

#: Timesteps drawn, left to right; ``…`` stands for the steps between.
STEPS = ("1", "2", "…", "T")
_X = {"1": 0.9, "2": 2.9, "…": 4.4, "T": 5.9}
_HALF = 0.55


#: The colours drawn, by the name of the page's custom property that replaces each in the SVG.
INK_PROPERTIES = {
    "#000000": "text",
    MUTED: "muted",
    FAINT: "faint",
    "#ffffff": "paper",
    HIDDEN: "hidden",
    CELL: "cell",
}


#: Each custom property's colour on the light and the dark page (the inks of
#: :mod:`lstm_outputs.diagrams.palette`'s light and dark inks).
SCHEMES = {
    "light": {"text": LIGHT.text, "muted": MUTED, "faint": FAINT, "paper": LIGHT.paper.lower(),
              "hidden": LIGHT.hidden, "cell": LIGHT.cell},
    "dark": {"text": DARK.text, "muted": MUTED, "faint": DARK.frame, "paper": DARK.paper.lower(),
             "hidden": DARK.hidden, "cell": DARK.cell},
}  # fmt: skip


def diagram_name(layer: str, bidirectional: bool) -> str:
    """The diagram a layer kind and wrapper use, and the prefix of its ids.

    >>> diagram_name("GRU", True)
    'explore-GRU-bidirectional'
    """
    check_choice("layer", layer, LAYERS)
    bidirectional = check_flag("bidirectional", bidirectional)
    return f"explore-{layer}-{'bidirectional' if bidirectional else 'plain'}"


def _state(ax, x, y, text, gid, colour):
    """A state symbol, grey; the page colours it (``colour``) when it is returned."""
    box = {"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": MUTED, "lw": 1.2}
    ax.text(x, y, text, ha="center", va="center", fontsize=12, color=MUTED, bbox=box,
            gid=f"{gid}--{'cell' if colour == CELL else 'hidden'}", zorder=3)  # fmt: skip


def _cell(ax, x, y, text):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - _HALF, y - 0.45),
            2 * _HALF,
            0.9,
            facecolor=FAINT,
            edgecolor="black",
            boxstyle="round,pad=0.02,rounding_size=0.08",
            lw=1.2,
            zorder=2,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=3)


def _row(ax, prefix, layer, y, outputs_y, *, backward, states):
    """One direction: a cell per timestep, h_t leaving it, states carried along."""
    for step in STEPS:
        x = _X[step]
        if step == "…":
            ax.text(x, y, "⋯", ha="center", va="center", fontsize=16)
            continue
        _cell(ax, x, y, layer)
        up = outputs_y > y
        arrow(ax, (x, y + (0.45 if up else -0.45)), (x, outputs_y + (-0.3 if up else 0.3)),
               color=MUTED)  # fmt: skip
        _state(ax, x, outputs_y, f"$h_{{{step}}}$", f"{prefix}-h-{step}", HIDDEN)
    carried = [("h", HIDDEN, -0.15)] + ([("c", CELL, 0.15)] if "c" in states else [])
    for start, end in (("1", "2"), ("2", "…"), ("…", "T")):
        x0 = _X[start] + (0.3 if start == "…" else _HALF)
        x1 = _X[end] - (0.3 if end == "…" else _HALF)
        for _, colour, dy in carried:
            ends = ((x1, y + dy), (x0, y + dy)) if backward else ((x0, y + dy), (x1, y + dy))
            arrow(ax, *ends, color=colour, width=1.6)
    # The final states leave after the last step the direction reads: T, or 1 going back.
    edge = _X["1"] - _HALF if backward else _X["T"] + _HALF
    state_x = edge - 1.1 if backward else edge + 1.1
    last = "1" if backward else "T"
    for name, colour, dy in carried:
        arrow(ax, (edge, y + dy * 3), (state_x + (0.35 if backward else -0.35), y + dy * 3),
               color=colour, width=1.6)  # fmt: skip
        _state(ax, state_x, y + dy * 3, f"${name}_{last}$", f"{prefix}-final-{name}", colour)


def explorer_diagram(layer: str = "LSTM", *, bidirectional: bool = False):
    """The unrolled layer (both directions inside ``Bidirectional``), every state grey.

    Each state's text carries a ``gid`` (an id in the SVG): ``<name>-h-<step>`` for the
    hidden state a step outputs, ``<name>-final-h``/``-final-c`` for the final states,
    ``f-``/``b-`` before them for the two directions, and ``--hidden``/``--cell`` after.

    >>> from matplotlib.text import Text
    >>> fig = explorer_diagram("GRU")
    >>> [t.get_gid() for t in fig.findobj(Text) if t.get_gid()][-1]
    'explore-GRU-plain-final-h--hidden'
    """
    name = diagram_name(layer, bidirectional)
    states = ("h", "c") if layer == "LSTM" else ("h",)
    height = 4.6 if bidirectional else 2.9
    ylim = (-0.5, 5.7) if bidirectional else (-0.3, 3.6)
    figure, ax = new_figure(7.5, height, (-1.4, 8.4), ylim)
    if not bidirectional:
        _inputs(ax, 0.1, 1.3)
        _row(ax, name, layer, 1.5, 3.0, backward=False, states=states)
    else:
        _inputs(ax, 2.6, None)
        _row(ax, f"{name}-f", layer, 3.9, 5.2, backward=False, states=states)
        _row(ax, f"{name}-b", layer, 1.3, 0.0, backward=True, states=states)
        ax.text(-1.35, 3.9, "forward", ha="left", va="center", fontsize=9, color=MUTED)
        ax.text(8.35, 1.3, "backward", ha="right", va="center", fontsize=9, color=MUTED)
    return figure


def _inputs(ax, y, up_to):
    """x_t at every step, with arrows into the cells above (and below, for two rows)."""
    for step in STEPS:
        x = _X[step]
        if step == "…":
            continue
        ax.text(x, y, f"$x_{{{step}}}$", ha="center", va="center", fontsize=12)
        if up_to is not None:
            arrow(ax, (x, y + 0.25), (x, up_to - 0.3 + 0.05), color=LIGHT.text)
        else:
            arrow(ax, (x, y + 0.25), (x, 3.9 - 0.5), color=LIGHT.text)
            arrow(ax, (x, y - 0.25), (x, 1.3 + 0.5), color=LIGHT.text)


def highlights(topology: Topology) -> dict[str, tuple[str, ...]]:
    """For each tensor ``topology`` returns, the ids of the diagram states it holds.

    >>> highlights(Topology("LSTM", return_state=True))["state_c"]
    ('explore-LSTM-plain-final-c--cell',)
    >>> highlights(Topology("GRU", bidirectional=True))["last_hidden"]
    ('explore-GRU-bidirectional-f-h-T--hidden', 'explore-GRU-bidirectional-b-h-1--hidden')
    """
    name = diagram_name(topology.layer, topology.bidirectional)
    every = tuple(s for s in STEPS if s != "…")

    def outputs(prefix: str, sequence: bool, last: str) -> tuple[str, ...]:
        return tuple(f"{prefix}-h-{s}--hidden" for s in (every if sequence else (last,)))

    def final(prefix: str, state: str) -> tuple[str, ...]:
        return (f"{prefix}-final-{state}--{'cell' if state == 'c' else 'hidden'}",)

    forward, backward = f"{name}-f", f"{name}-b"
    found = {}
    for template in tensor_templates(topology):
        tensor = template.name
        sequence = tensor.endswith("sequence")
        if not topology.bidirectional:
            found[tensor] = (
                final(name, tensor[-1])
                if tensor.startswith("state_")
                else outputs(name, sequence, "T")
            )
        elif tensor in ("sequence", "last_hidden"):
            found[tensor] = outputs(forward, sequence, "T") + outputs(backward, sequence, "1")
        elif tensor.endswith(("sequence", "last_hidden")):
            prefix = forward if tensor.startswith("forward") else backward
            found[tensor] = outputs(prefix, sequence, "T" if prefix == forward else "1")
        else:
            prefix = forward if tensor.startswith("forward") else backward
            found[tensor] = final(prefix, tensor[-1])
    return found


def explorer_svg(layer: str = "LSTM", *, bidirectional: bool = False) -> str:
    """The diagram as SVG markup for inlining: real text, only its state ids kept.

    Its colours are custom properties (:data:`INK_PROPERTIES`), so a dark page can recolour
    it.

    matplotlib numbers its own ids (``patch_1`` …) per figure; on a page holding several
    diagrams those would repeat, so only the ids :func:`explorer_diagram` sets remain.

    >>> svg = explorer_svg("SimpleRNN")
    >>> svg.startswith("<svg") and 'id="explore-SimpleRNN-plain-h-T--hidden"' in svg
    True
    >>> "patch_" in svg
    False
    >>> "fill: var(--explore-muted, #8c8c8c)" in svg
    True
    """
    from matplotlib import rc_context

    figure = explorer_diagram(layer, bidirectional=bidirectional)
    text = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": diagram_name(layer, bidirectional)}):
        figure.savefig(text, format="svg", metadata={"Date": None})
    svg = text.getvalue()
    svg = svg[svg.index("<svg") :]
    referenced = set(re.findall(r"url\(#([\w-]+)\)", svg))
    prefix = diagram_name(layer, bidirectional)

    def keep(match: re.Match) -> str:
        ident = match.group(1)
        return match.group(0) if ident.startswith(prefix) or ident in referenced else ""

    svg = re.sub(r' id="([^"]+)"', keep, svg)
    # Colours become the page's custom properties (light or dark scheme), each falling back
    # to the colour drawn.
    for colour, name in INK_PROPERTIES.items():
        svg = svg.replace(colour.lower(), f"var(--explore-{name}, {colour.lower()})")
    return svg
