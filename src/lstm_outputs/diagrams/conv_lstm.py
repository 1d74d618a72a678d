"""A ConvLSTM layer unrolled over its frames: every state is a grid of ``filters`` channels."""

from __future__ import annotations

from lstm_outputs.diagrams._draw import TENSOR_GID, arrow, box, legend, new_figure, swatch
from lstm_outputs.diagrams.palette import ink as ink_for


def _grid(ax, x, y, size, *, face, lines, edge):
    """A square feature map centred on ``(x, y)``, drawn as a 3 × 3 grid."""
    from matplotlib.patches import Rectangle

    left, bottom = x - size / 2, y - size / 2
    ax.add_patch(Rectangle((left, bottom), size, size, facecolor=face, edgecolor=edge,
                           linewidth=1.2, zorder=2))  # fmt: skip
    for k in (1, 2):
        offset = k * size / 3
        ax.plot([left + offset] * 2, [bottom, bottom + size], color=lines, linewidth=0.8, zorder=3)
        ax.plot([left, left + size], [bottom + offset] * 2, color=lines, linewidth=0.8, zorder=3)


def conv_lstm(*, dark: bool = False):
    """``ConvLSTM2D(..., return_sequences=True, return_state=True)`` unrolled over its frames.

    Each frame ``x_t`` (rows × cols × channels) enters a convolutional LSTM cell; the
    hidden state ``h_t`` and the cell state ``c_t`` are feature maps (rows' × cols' ×
    filters) carried to the next frame. The three returned tensors are labelled.

    >>> from matplotlib.text import Text
    >>> figure = conv_lstm()
    >>> [t.get_text().split()[0] for t in figure.findobj(Text) if t.get_gid() == "tensor"]
    ['sequence', 'state_h', 'state_c']
    """
    ink = ink_for(dark)
    figure, ax = new_figure(7.6, 4.4, (-1.3, 10.3), (-0.9, 5.05))
    columns = {"1": 0.9, "2": 2.9, "…": 4.35, "T": 5.8}
    frame_y, cell_y, out_y, size = 0.35, 2.0, 3.75, 0.7
    c_y, h_y = cell_y + 0.25, cell_y - 0.25

    ax.text(-1.25, frame_y, "frames", ha="left", va="center", fontsize=10, color=ink.text)
    for label, x in columns.items():
        if label == "…":
            for y in (frame_y, cell_y, out_y):
                ax.text(x, y, "⋯", ha="center", va="center", fontsize=18, color=ink.text)
            continue
        _grid(ax, x, frame_y, size, face=ink.paper, lines=ink.frame, edge=ink.text)
        ax.text(x + 0.45, frame_y - 0.3, f"$x_{{{label}}}$", ha="left", va="center",
                fontsize=12, color=ink.text)  # fmt: skip
        arrow(ax, (x, frame_y + 0.38), (x, cell_y - 0.5), color=ink.text)
        box(ax, x, cell_y, 1.15, 0.95, ink, text="ConvLSTM\ncell", size=10)
        arrow(ax, (x, cell_y + 0.5), (x, out_y - 0.38), color=ink.hidden)
        _grid(ax, x, out_y, size, face=ink.hidden, lines=ink.paper, edge=ink.hidden)
        ax.text(x + 0.45, out_y + 0.3, f"$h_{{{label}}}$", ha="left", va="center",
                fontsize=12, color=ink.text)  # fmt: skip

    # h and c, feature maps, carried from one frame to the next.
    for start, end in (("1", "2"), ("2", "…"), ("…", "T")):
        x0 = columns[start] + (0.3 if start == "…" else 0.6)
        x1 = columns[end] - (0.3 if end == "…" else 0.6)
        arrow(ax, (x0, c_y), (x1, c_y), color=ink.cell, width=1.8)
        arrow(ax, (x0, h_y), (x1, h_y), color=ink.hidden, width=1.8)

    # The final states, after the last frame.
    state_x = 7.0
    for y, colour in ((c_y + 0.55, ink.cell), (h_y - 0.55, ink.hidden)):
        arrow(ax, (columns["T"] + 0.6, c_y if colour == ink.cell else h_y), (state_x - 0.4, y),
              color=colour, width=1.8)  # fmt: skip
        _grid(ax, state_x, y, size, face=colour, lines=ink.paper, edge=colour)

    bold = {"fontsize": 10, "fontweight": "bold", "gid": TENSOR_GID, "family": "monospace"}
    left, right, top = columns["1"] - 0.4, columns["T"] + 0.4, out_y + 0.55
    ax.plot([left, left, right, right], [top - 0.12, top, top, top - 0.12],
            color=ink.hidden, linewidth=1.5)  # fmt: skip
    ax.text((left + right) / 2, top + 0.1, "sequence\n(batch, T, rows', cols', filters)",
            ha="center", va="bottom", color=ink.hidden, **bold)  # fmt: skip
    # Labelled in Keras's order: state_h, then state_c.
    ax.text(state_x + 0.5, h_y - 0.55, "state_h\n(batch, rows',\n cols', filters)",
            ha="left", va="center", color=ink.hidden, **bold)  # fmt: skip
    ax.text(state_x + 0.5, c_y + 0.55, "state_c\n(batch, rows',\n cols', filters)",
            ha="left", va="center", color=ink.text, **bold)  # fmt: skip
    legend(ax, [swatch(ink.hidden, "hidden state h"), swatch(ink.cell, "cell state c")], ink,
           loc="lower right", bbox_to_anchor=(10.3, -0.9), bbox_transform=ax.transData,
           ncols=2, borderaxespad=0, handlelength=1.2)  # fmt: skip
    return figure
