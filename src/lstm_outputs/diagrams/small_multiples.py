"""The four configurations as small multiples: the landing page's figure."""

from __future__ import annotations

from lstm_outputs.configs import OutputConfig
from lstm_outputs.diagrams._draw import RETURNED_GID, TENSOR_GID, arrow
from lstm_outputs.diagrams.palette import Ink
from lstm_outputs.diagrams.palette import ink as ink_for
from lstm_outputs.diagrams.unrolled import returned_labels


def returns_text(config: OutputConfig) -> str:
    r"""What a configuration returns, as mathtext: a bare tensor, or a tuple in Keras's order.

    >>> print(returns_text(OutputConfig(return_sequences=False, return_state=False)))
    $h_T$
    >>> print(returns_text(OutputConfig(return_sequences=True, return_state=True)))
    $(h_1 \ldots h_T,\ h_T,\ c_T)$
    """
    symbols = [s.replace("…", "\\ldots") for s in returned_labels(config)]
    joined = ",\\ ".join(symbols)
    return f"${joined}$" if len(symbols) == 1 else f"$({joined})$"


def _filled(ax, x, y, text, *, returned, colour, ink: Ink):
    """A state in a small multiple: filled when returned, outlined grey when not."""
    bbox = {
        "boxstyle": "round,pad=0.3",
        "linewidth": 1.2,
        "facecolor": colour if returned else "none",
        "edgecolor": colour if returned else ink.muted,
    }
    ax.text(x, y, text, ha="center", va="center", fontsize=14, bbox=bbox,
            color=(ink.on_hidden if colour == ink.hidden else "#000000") if returned else ink.muted,
            gid=RETURNED_GID if returned else None, zorder=3)  # fmt: skip


def _panel(ax, config: OutputConfig, ink: Ink) -> None:
    """One small multiple: steps 1 … T, each h_t above its step, the final states on the right."""
    from matplotlib.patches import FancyBboxPatch

    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6.6)
    ax.set_axis_off()
    ax.set_gid(config.name)
    frame = FancyBboxPatch((0.08, 0.08), 9.84, 6.44, boxstyle="round,pad=0,rounding_size=0.3")
    frame.set(facecolor="none", edgecolor=ink.frame, linewidth=1)
    ax.add_patch(frame)
    flags = "\n".join(f"{flag}=True" for flag in config._set_flags()) or "default: no flags"
    ax.text(0.45, 6.25, flags, ha="left", va="top", fontsize=11, family="monospace",
            color=ink.text)  # fmt: skip
    step_y, up_y, h_y, c_y, state_x = 2.4, 4.0, 2.0, 2.8, 8.55
    for label, x in (("1", 1.4), ("T", 5.4)):
        returned = config.return_sequences or label == "T"
        colour = ink.hidden if returned else ink.muted
        arrow(ax, (x, step_y + 0.55), (x, up_y - 0.45), color=colour, width=1.4)
        _filled(ax, x, up_y, f"$h_{label}$", returned=returned, colour=ink.hidden, ink=ink)
        step = FancyBboxPatch((x - 0.75, step_y - 0.55), 1.5, 1.1,
                              boxstyle="round,pad=0.02,rounding_size=0.15")  # fmt: skip
        step.set(facecolor="none", edgecolor=ink.text, linewidth=1.2, zorder=2)
        ax.add_patch(step)
        ax.text(x, step_y, f"t = {label}", ha="center", va="center", fontsize=10,
                color=ink.text, zorder=3)  # fmt: skip
    ax.text(3.4, step_y, "⋯", ha="center", va="center", fontsize=14, color=ink.text)
    for start, end in ((2.15, 2.85), (3.95, 4.65)):
        arrow(ax, (start, c_y), (end, c_y), color=ink.cell, width=1.4)
        arrow(ax, (start, h_y), (end, h_y), color=ink.hidden, width=1.4)
    finals = (("$c_T$", c_y + 0.25, ink.cell), ("$h_T$", h_y - 0.25, ink.hidden))
    for text, y, colour in finals:
        arrow(ax, (6.15, y), (state_x - 0.6, y), color=colour, width=1.4)
        _filled(ax, state_x, y, text, returned=config.return_state, colour=colour, ink=ink)
    ax.text(0.45, 0.7, "returns " + returns_text(config), ha="left", va="center",
            fontsize=13, color=ink.text, gid=TENSOR_GID)  # fmt: skip


def four_configurations(*, dark: bool = False):
    """The four configurations as small multiples: each unrolled, its returned tensors filled.

    One panel per configuration, in the site's order; each panel's ``gid`` is the
    configuration's name. ``dark=True`` draws light ink for a dark page (the
    background is transparent either way).

    >>> from lstm_outputs.diagrams import highlighted
    >>> fig = four_configurations()
    >>> [ax.get_gid() for ax in fig.axes]
    ['default', 'return_sequences', 'return_state', 'both']
    >>> [highlighted(ax) for ax in fig.axes]
    [['h_T'], ['h_1', 'h_T'], ['h_T', 'c_T', 'h_T'], ['h_1', 'h_T', 'c_T', 'h_T']]
    """
    from matplotlib.figure import Figure

    from lstm_outputs.configs import CONFIGS

    ink = ink_for(dark)
    figure = Figure(figsize=(5.4, 3.8), layout="none")
    figure.patch.set_alpha(0)
    grid = {"wspace": 0.06, "hspace": 0.08, "left": 0, "right": 1, "top": 1, "bottom": 0}
    axes = figure.subplots(2, 2, gridspec_kw=grid)
    for ax, config in zip(axes.flat, CONFIGS, strict=True):
        ax.patch.set_alpha(0)
        _panel(ax, config, ink)
    return figure
