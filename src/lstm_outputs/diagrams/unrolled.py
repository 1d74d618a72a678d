"""The unrolled LSTM with the tensors a configuration returns highlighted.

The text of a returned tensor is tagged with an artist ``gid``, so what a diagram
highlights can be read back without looking at pixels: :func:`highlighted` lists
the highlighted symbols (``h_1``, ``h_T``, ``c_T`` …) and :func:`tensor_labels`
the labels naming each returned tensor.
"""

from __future__ import annotations

from lstm_outputs.configs import OutputConfig
from lstm_outputs.diagrams._draw import (
    RETURNED_GID,
    TENSOR_GID,
    arrow,
    box,
    legend,
    new_figure,
    swatch,
    symbol,
)
from lstm_outputs.diagrams.palette import ink as ink_for

#: The symbols each named tensor stands for in the unrolled diagram.
SYMBOLS = {
    "last_hidden": "h_T",
    "sequence": "h_1 … h_T",
    "state_h": "h_T",
    "state_c": "c_T",
}
#: Generic shapes, as the diagrams print them.
GENERIC_SHAPES = {
    "last_hidden": "(batch, units)",
    "sequence": "(batch, T, units)",
    "state_h": "(batch, units)",
    "state_c": "(batch, units)",
}


def returned_labels(config: OutputConfig) -> tuple[str, ...]:
    """The symbols of the tensors a configuration returns, in Keras's order.

    >>> returned_labels(OutputConfig(return_sequences=False, return_state=False))
    ('h_T',)
    >>> returned_labels(OutputConfig(return_sequences=False, return_state=True))
    ('h_T', 'h_T', 'c_T')
    >>> returned_labels(OutputConfig(return_sequences=True, return_state=True))
    ('h_1 … h_T', 'h_T', 'c_T')
    """
    return tuple(SYMBOLS[name] for name in config.returned_names)


def tensor_label(config: OutputConfig, index: int) -> str:
    """The label the unrolled diagram gives the ``index``-th returned tensor.

    A lone tensor has no index, as Keras returns it bare; in a tuple each label
    starts with its position.

    >>> tensor_label(OutputConfig(False, False), 0)
    'last_hidden (batch, units)'
    >>> tensor_label(OutputConfig(True, True), 2)
    '[2] state_c (batch, units)'
    """
    names = config.returned_names
    name = names[index]
    prefix = f"[{index}] " if len(names) > 1 else ""
    return f"{prefix}{name} {GENERIC_SHAPES[name]}"


def _plain(text: str) -> str:
    """Mathtext such as ``$h_{T}$`` as plain text, ``h_T``."""
    return text.replace("$", "").replace("{", "").replace("}", "").replace("\\ldots", "…")


def highlighted(figure) -> list[str]:
    """The highlighted symbols of a diagram, in drawing order, as plain text.

    >>> fig = unrolled(OutputConfig(return_sequences=True, return_state=False))
    >>> highlighted(fig)
    ['h_1', 'h_2', 'h_T']
    """
    from matplotlib.text import Text

    return [_plain(t.get_text()) for t in figure.findobj(Text) if t.get_gid() == RETURNED_GID]


def tensor_labels(figure) -> list[str]:
    """The labels naming each returned tensor in an unrolled diagram, in Keras's order.

    >>> tensor_labels(unrolled(OutputConfig(return_sequences=False, return_state=True)))
    ['[0] last_hidden (batch, units)', '[1] state_h (batch, units)', '[2] state_c (batch, units)']
    """
    from matplotlib.text import Text

    labels = [t for t in figure.findobj(Text) if t.get_gid() == TENSOR_GID]
    return [" ".join(t.get_text().split()) for t in labels]


def unrolled(config: OutputConfig, *, title: bool = True, dark: bool = False):
    """The LSTM unrolled over timesteps 1, 2, …, T, with the returned tensors highlighted.

    Hidden states ``h_t`` leave each cell upwards; ``h`` and ``c`` run right into
    the next timestep; after step T, ``h_T`` and ``c_T`` leave on the right as the
    final states. What the configuration returns is filled in colour and named
    (``[1] state_h`` …); what is computed but not returned stays grey.
    ``dark=True`` draws it for the dark page.

    >>> fig = unrolled(OutputConfig(return_sequences=False, return_state=False))
    >>> highlighted(fig), tensor_labels(fig)
    (['h_T'], ['last_hidden (batch, units)'])
    """
    if not isinstance(config, OutputConfig):
        raise TypeError(f"config must be an OutputConfig, got {config!r}")
    ink = ink_for(dark)
    figure, ax = new_figure(7.5, 4.5, (-1.25, 10.2), (-0.75, 5.4))

    columns = {"1": 0.9, "2": 3.0, "…": 4.55, "T": 6.1}
    half = 0.55  # half a cell's width
    c_y, h_y, out_y = 2.25, 1.65, 3.55
    sequence = config.return_sequences

    # Initial states: zeros unless initial_state is passed.
    ax.text(columns["1"] - half - 0.15, 1.95, "$h_0$, $c_0$\n(zeros)", ha="right",
            va="center", fontsize=9, color=ink.muted)  # fmt: skip

    for label, x in columns.items():
        if label == "…":
            for y, colour in ((1.95, ink.text), (0.35, ink.text),
                              (out_y, ink.hidden if sequence else ink.muted)):  # fmt: skip
                ax.text(x, y, "⋯", ha="center", va="center", fontsize=18, color=colour)
            continue
        box(ax, x, 1.95, 2 * half, 1.0, ink, text="LSTM\ncell", size=10)
        ax.text(x, 0.35, f"$x_{{{label}}}$", ha="center", va="center", fontsize=13,
                color=ink.text)  # fmt: skip
        arrow(ax, (x, 0.6), (x, 1.43), color=ink.text)
        returned = sequence or label == "T"
        arrow(ax, (x, 2.47), (x, out_y - 0.3), color=ink.hidden if returned else ink.muted)
        symbol(ax, x, out_y, f"$h_{{{label}}}$", ink, returned=returned, color=ink.hidden)

    # h and c carried from one step to the next.
    steps = [("1", "2", "1"), ("2", "…", "2"), ("…", "T", "{T-1}")]
    for start, end, index in steps:
        x0 = columns[start] + (0.3 if start == "…" else half)
        x1 = columns[end] - (0.3 if end == "…" else half)
        arrow(ax, (x0, c_y), (x1, c_y), color=ink.cell, width=1.8)
        arrow(ax, (x0, h_y), (x1, h_y), color=ink.hidden, width=1.8)
        mid = (x0 + x1) / 2
        ax.text(mid, c_y + 0.08, f"$c_{index}$", ha="center", va="bottom", fontsize=9,
                color=ink.text)  # fmt: skip
        ax.text(mid, h_y - 0.08, f"$h_{index}$", ha="center", va="top", fontsize=9,
                color=ink.text)  # fmt: skip

    # Final states after step T.
    state_x = 7.55
    for text, y, colour in (("$c_T$", c_y + 0.15, ink.cell), ("$h_T$", h_y - 0.15, ink.hidden)):
        arrow(ax, (columns["T"] + half, y), (state_x - 0.35, y), color=colour, width=1.8)
        symbol(ax, state_x, y, text, ink, returned=config.return_state, color=colour)

    # Name each returned tensor, in Keras's order.
    labels = [tensor_label(config, i) for i in range(len(config.returned_names))]
    first_name, first_shape = labels[0].rsplit(" (", 1)
    first_text = f"{first_name}\n({first_shape}"
    if sequence:
        left, right, top = columns["1"] - 0.3, columns["T"] + 0.3, out_y + 0.5
        ax.plot([left, left, right, right], [top - 0.12, top, top, top - 0.12],
                color=ink.hidden, linewidth=1.5)  # fmt: skip
        ax.text((left + right) / 2, top + 0.12, first_text, ha="center", va="bottom",
                fontsize=11, color=ink.hidden, fontweight="bold", gid=TENSOR_GID)  # fmt: skip
    else:
        ax.text(columns["T"], out_y + 0.42, first_text, ha="center", va="bottom",
                fontsize=11, color=ink.hidden, fontweight="bold", gid=TENSOR_GID)  # fmt: skip
    if config.return_state:
        for label, y, colour in ((labels[1], h_y - 0.15, ink.hidden),
                                 (labels[2], c_y + 0.15, ink.text)):  # fmt: skip
            name, shape = label.rsplit(" (", 1)
            ax.text(state_x + 0.45, y, f"{name}\n({shape}", ha="left", va="center",
                    fontsize=11, color=colour, fontweight="bold", gid=TENSOR_GID)  # fmt: skip
    else:
        ax.text(state_x, 0.95, "final states\nnot returned", ha="center", va="top",
                fontsize=9, color=ink.muted)  # fmt: skip

    legend(ax, [swatch(ink.hidden, "hidden state h"), swatch(ink.cell, "cell state c"),
                swatch(ink.muted, "computed, not returned")],
           ink, loc="lower left", bbox_to_anchor=(-1.2, -0.75), bbox_transform=ax.transData,
           ncols=3, borderaxespad=0, handlelength=1.2, columnspacing=1.2)  # fmt: skip
    if title:
        ax.text(-1.2, 5.35, f"{config.keras_call(16).replace('16', 'units')} returns",
                ha="left", va="top", fontsize=12, family="monospace", color=ink.text)  # fmt: skip
    return figure
