"""One LSTM cell at timestep t: its four gates and how ``c`` and ``h`` are updated."""

from __future__ import annotations

from lstm_outputs.diagrams._draw import arrow, box, legend, new_figure, swatch
from lstm_outputs.diagrams.palette import ink as ink_for


def cell(*, title: bool = True, dark: bool = False):
    """One LSTM cell at timestep t: its four gates and how ``c`` and ``h`` are updated.

    ``c`` (orange) runs along the top, scaled by the forget gate and topped up by
    input gate × candidate; ``h`` (blue) is the output gate times ``tanh(c_t)``. The
    gates are neutral boxes: colour means ``h`` or ``c`` on every figure, never a gate.

    >>> from matplotlib.text import Text
    >>> [t.get_gid() for t in cell().findobj(Text) if str(t.get_gid()).startswith("gate")]
    ['gate:f', 'gate:i', 'gate:c', 'gate:o']
    """
    ink = ink_for(dark)
    figure, ax = new_figure(7.5, 4.4, (-0.4, 11.0), (-0.95, 5.6))
    box(ax, 5.0, 2.45, 8.6, 4.1, ink, facecolor="none", edgecolor=ink.muted, zorder=0)
    top, bottom = 4.0, 0.75

    def node(x, y, text):
        ax.text(x, y, text, ha="center", va="center", fontsize=13, zorder=4, color=ink.text,
                bbox={"boxstyle": "circle,pad=0.15", "facecolor": ink.paper,
                      "edgecolor": ink.text})  # fmt: skip

    def label(x, y, text, **options):
        ax.text(x, y, text, va="center", fontsize=13, color=ink.text, **options)

    # The cell state runs along the top: c_{t-1} → ×f → +(i·c̃) → c_t.
    label(-0.3, top, "$c_{t-1}$", ha="left")
    arrow(ax, (0.45, top), (10.1, top), color=ink.cell, width=2.2)
    label(10.25, top, "$c_t$", ha="left")
    # [h_{t-1}, x_t] runs along the bottom into every gate.
    label(-0.3, bottom, "$h_{t-1}$", ha="left")
    arrow(ax, (0.45, bottom), (7.6, bottom), color=ink.hidden, width=2.2, style="-")
    label(1.3, -0.35, "$x_t$", ha="center")
    arrow(ax, (1.3, -0.15), (1.3, bottom), color=ink.text, width=1.5, style="-")

    gates = [  # x, gate, symbol, activation, where its output goes
        (2.2, "f", "$f_t$", "σ", (2.2, top)),
        (3.9, "i", "$i_t$", "σ", (4.7, 2.95)),
        (5.5, "c", "$\\tilde{c}_t$", "tanh", (4.7, 2.95)),
        (7.6, "o", "$o_t$", "σ", (8.7, 2.5)),
    ]
    for x, gate, text, activation, target in gates:
        arrow(ax, (x, bottom), (x, 1.45), color=ink.text, width=1.2)
        box(ax, x, 1.72, 1.0, 0.52, ink, text=activation, size=11)
        ax.text(x - 0.58, 2.25, text, ha="right", va="center", fontsize=12, color=ink.text,
                gid=f"gate:{gate}")  # fmt: skip
        tx, ty = target
        if tx == x:
            arrow(ax, (x, 1.98), (x, ty - 0.22), color=ink.text, width=1.2)
        else:
            arrow(ax, (x, 1.98), (x, ty), color=ink.text, width=1.2, style="-")
            arrow(ax, (x, ty), (tx + (0.22 if tx < x else -0.22), ty), color=ink.text, width=1.2)
    node(2.2, top, "×")
    node(4.7, 2.95, "×")
    arrow(ax, (4.7, 3.17), (4.7, top - 0.22), color=ink.text, width=1.2)
    node(4.7, top, "+")
    # h_t = o_t · tanh(c_t), leaving right (to the next step) and up (the output).
    arrow(ax, (8.7, top), (8.7, 3.45), color=ink.text, width=1.2)
    box(ax, 8.7, 3.24, 0.9, 0.42, ink, text="tanh", size=10)
    arrow(ax, (8.7, 3.03), (8.7, 2.72), color=ink.text, width=1.2)
    node(8.7, 2.5, "×")
    for start, end, style in (((8.92, 2.5), (9.5, 2.5), "-"), ((9.5, 2.5), (9.5, bottom), "-"),
                              ((9.5, bottom), (10.1, bottom), "-|>"),
                              ((9.5, 2.5), (9.5, 5.25), "-|>")):  # fmt: skip
        arrow(ax, start, end, color=ink.hidden, width=2.2, style=style)
    label(10.25, bottom, "$h_t$", ha="left")
    ax.text(9.65, 5.2, "$h_t$ (output)", ha="left", va="top", fontsize=12, color=ink.text)
    legend(ax, [swatch(ink.hidden, "hidden state h"), swatch(ink.cell, "cell state c")], ink,
           loc="lower right", bbox_to_anchor=(11.0, -0.95), bbox_transform=ax.transData,
           ncols=2, borderaxespad=0, handlelength=1.2)  # fmt: skip
    if title:
        ax.text(-0.3, 5.5, "One LSTM cell at timestep t", ha="left", va="top", fontsize=12,
                color=ink.text)  # fmt: skip
    return figure
