"""Diagrams of models built from LSTM layers: Bidirectional, encoder–decoder, a stack,
and how Keras picks the cuDNN kernel.

Colour keeps the palette's meaning: returned hidden states are filled blue, cell
states orange, an error vermillion; layers and the data flowing between them are
drawn in the text colour.
"""

from __future__ import annotations

import itertools

from lstm_outputs.diagrams._draw import arrow, box, legend, new_figure, swatch, symbol
from lstm_outputs.diagrams.palette import ink as ink_for


def bidirectional(*, timesteps: int = 4, dark: bool = False):
    """A ``Bidirectional(LSTM)`` over ``timesteps`` steps: each output row takes both directions.

    The forward LSTM (top) runs left to right and leaves its final ``forward_h``,
    ``forward_c`` after the last step; the backward LSTM (bottom) runs right to left
    and leaves ``backward_h``, ``backward_c`` after step 0. Each step's output (middle)
    is ``[forward h_t | backward h_t]``: an arrow from each row.

    >>> from matplotlib.text import Text
    >>> texts = [t.get_text() for t in bidirectional().findobj(Text)]
    >>> [t for t in texts if t.endswith(("_h", "_c"))]
    ['forward_h', 'forward_c', 'backward_h', 'backward_c']
    >>> texts.count("→ h"), texts.count("← h")
    (4, 4)
    """
    if not isinstance(timesteps, int) or isinstance(timesteps, bool) or not 2 <= timesteps <= 6:
        raise ValueError(f"timesteps must be an int from 2 to 6, got {timesteps!r}")
    ink = ink_for(dark)
    step = 1.3
    last = (timesteps - 1) * step
    figure, ax = new_figure(8.0, 4.6, (-3.1, last + 3.0), (-1.75, 3.9))
    top, middle, bottom = 2.1, 1.0, -0.1
    for t in range(timesteps):
        x = t * step
        box(ax, x, top, 0.8, 0.5, ink, text="LSTM", size=10)
        box(ax, x, bottom, 0.8, 0.5, ink, text="LSTM", size=10)
        # The input feeds both directions: drawn above the forward row and below the backward.
        for y, start, end in ((3.2, 3.05, top + 0.27), (-1.45, -1.3, bottom - 0.27)):
            ax.text(x, y, f"x[:, {t}]", ha="center", va="center", fontsize=10,
                    family="monospace", color=ink.text)  # fmt: skip
            arrow(ax, (x, start), (x, end), color=ink.text, width=1.0)
        # The output row: the forward half and the backward half, side by side.
        for dx, text, source in ((-0.24, "→ h", top - 0.27), (0.24, "← h", bottom + 0.27)):
            box(ax, x + dx, middle, 0.46, 0.4, ink, text=text, size=9, facecolor=ink.hidden)
            edge = middle + (0.22 if source > middle else -0.22)
            arrow(ax, (x + dx, source), (x + dx, edge), color=ink.hidden, width=1.3)
        if t:
            arrow(ax, (x - step + 0.42, top), (x - 0.42, top), color=ink.text, width=1.3)
            arrow(ax, (x - 0.42, bottom), (x - step + 0.42, bottom), color=ink.text, width=1.3)
    ax.text(-3.0, top, "forward →", va="center", fontsize=11, color=ink.text)
    ax.text(-3.0, middle, "output[:, t]", va="center", fontsize=10, family="monospace",
            color=ink.text)  # fmt: skip
    ax.text(last + 2.9, bottom, "← backward", ha="right", va="center", fontsize=11,
            color=ink.text)  # fmt: skip
    # The final states: forward after the last step, backward after step 0.
    for name, y, colour in (
        ("forward_h", top + 0.35, ink.hidden),
        ("forward_c", top - 0.35, ink.cell),
    ):
        arrow(ax, (last + 0.42, top), (last + 1.0, y), color=colour, width=1.6)
        symbol(ax, last + 1.05, y, name, ink, returned=True, color=colour, size=10).set_ha("left")
    for name, y, colour in (("backward_h", bottom + 0.35, ink.hidden),
                            ("backward_c", bottom - 0.35, ink.cell)):  # fmt: skip
        arrow(ax, (-0.42, bottom), (-1.0, y), color=colour, width=1.6)
        symbol(ax, -1.05, y, name, ink, returned=True, color=colour, size=10).set_ha("right")
    legend(ax, [swatch(ink.hidden, "hidden state h"), swatch(ink.cell, "cell state c")], ink,
           loc="upper right", bbox_to_anchor=(last + 3.0, 3.9), bbox_transform=ax.transData,
           ncols=1, borderaxespad=0, handlelength=1.2)  # fmt: skip
    return figure


def encoder_decoder(*, dark: bool = False):
    """The encoder's final ``state_h`` and ``state_c`` become the decoder's ``initial_state``.

    >>> from matplotlib.text import Text
    >>> [t.get_text() for t in encoder_decoder().findobj(Text) if t.get_text().startswith("state")]
    ['state_h', 'state_c']
    """
    ink = ink_for(dark)
    figure, ax = new_figure(8.0, 3.6, (-0.6, 9.7), (-1.75, 2.9))
    for i in range(4):
        box(ax, i, 0, 0.72, 0.6, ink, text="LSTM", size=10)
        ax.text(i, -1.25, f"x{i + 1}", ha="center", va="center", fontsize=11, color=ink.text)
        arrow(ax, (i, -1.05), (i, -0.32), color=ink.text)
        if i:
            arrow(ax, (i - 0.62, 0), (i - 0.38, 0), color=ink.text)
    for j, read in enumerate(["START", "y1", "y2", "y3"]):
        x = 5.9 + j
        box(ax, x, 0, 0.72, 0.6, ink, text="LSTM", size=10)
        ax.text(x, -1.25, read, ha="center", va="center", fontsize=11, color=ink.text)
        arrow(ax, (x, -1.05), (x, -0.32), color=ink.text)
        arrow(ax, (x, 0.32), (x, 1.25), color=ink.hidden)
        ax.text(x, 1.45, f"y{j + 1}", ha="center", va="center", fontsize=11, color=ink.text)
        if j:
            arrow(ax, (x - 0.62, 0), (x - 0.38, 0), color=ink.text)
    for name, y, colour in (("state_h", 0.5, ink.hidden), ("state_c", -0.5, ink.cell)):
        arrow(ax, (3.38, y * 0.3), (5.5, y * 0.3), color=colour, width=2)
        symbol(ax, 4.45, y + (0.1 if y > 0 else -0.1), name, ink, returned=True, color=colour,
               size=10)  # fmt: skip
    ax.text(1.5, 2.4, "encoder: return_state=True", ha="center", va="center", fontsize=11,
            color=ink.text)  # fmt: skip
    ax.text(7.4, 2.4, "decoder: return_sequences=True\n→ Dense softmax", ha="center",
            va="center", fontsize=11, color=ink.text)  # fmt: skip
    ax.text(4.45, 1.45, "initial_state", ha="center", va="center", fontsize=10,
            family="monospace", color=ink.text)  # fmt: skip
    legend(ax, [swatch(ink.hidden, "hidden state h"), swatch(ink.cell, "cell state c")], ink,
           loc="lower center", bbox_to_anchor=(4.45, -1.75), bbox_transform=ax.transData,
           ncols=1, borderaxespad=0, handlelength=1.2)  # fmt: skip
    return figure


def stack(*, dark: bool = False):
    """Shapes flowing down an LSTM stack: right (every LSTM feeding an LSTM returns
    sequences) and wrong (one forgets, and the next LSTM gets a 2-D tensor: an error).

    >>> from matplotlib.text import Text
    >>> [t.get_text().split(":")[0] for t in stack().findobj(Text) if "Error" in t.get_text()]
    ['ValueError']
    """
    ink = ink_for(dark)
    figure, ax = new_figure(8.0, 5.0, (0, 2.9), (-0.7, 5.9))
    ys = [5, 3.75, 2.5, 1.25, 0]

    def layer(x, y, text, edge=None):
        box(ax, x + 0.62, y, 1.22, 0.6, ink, text=text, size=10, family="monospace",
            facecolor=ink.paper, edgecolor=edge or ink.text)  # fmt: skip

    def flow(x, y_from, y_to, label, colour=None):
        arrow(ax, (x + 0.62, y_from - 0.32), (x + 0.62, y_to + 0.32), color=colour or ink.text)
        ax.text(x + 0.68, (y_from + y_to) / 2, label, va="center", fontsize=10,
                family="monospace", color=colour or ink.text)  # fmt: skip

    for x, title in ((0.02, "return_sequences on all but the last"), (1.5, "forgotten once")):
        ax.text(x + 0.62, 5.75, title, ha="center", va="center", fontsize=11, color=ink.text)
    left = ["Input(shape=(4, 10))", "LSTM(32, return_sequences=True)",
            "LSTM(16, return_sequences=True)", "LSTM(8)", "Dense(1)"]  # fmt: skip
    for y, text in zip(ys, left, strict=True):
        layer(0.02, y, text)
    shapes = ["(None, 4, 10)", "(None, 4, 32)", "(None, 4, 16)", "(None, 8)"]
    for (a, b), label in zip(itertools.pairwise(ys), shapes, strict=True):
        flow(0.02, a, b, label)
    layer(1.5, ys[0], "Input(shape=(4, 10))")
    layer(1.5, ys[1], "LSTM(32)")
    layer(1.5, ys[2], "LSTM(16)", edge=ink.error)
    flow(1.5, ys[0], ys[1], "(None, 4, 10)")
    flow(1.5, ys[1], ys[2], "(None, 32)  2-D!", ink.error)
    ax.text(2.12, ys[3], "ValueError:\nexpected ndim=3,\nfound ndim=2", ha="center",
            va="center", color=ink.error, fontsize=10, family="monospace")  # fmt: skip
    return figure


def cudnn_kernel_choice(*, dark: bool = False):
    """How an LSTM call picks its kernel in Keras 3 (TensorFlow backend): a flow chart.

    >>> from matplotlib.text import Text
    >>> figure = cudnn_kernel_choice()
    >>> [t.get_text() for t in figure.findobj(Text) if "Error" in t.get_text()]
    ['ValueError']
    >>> [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    ['the kernel that runs', 'error']
    """
    ink = ink_for(dark)
    kernel = ink.series[0]
    figure, ax = new_figure(8.2, 4.6, (0, 10), (-0.45, 5.2))

    def node(x, y, text, edge, width=2.7):
        box(
            ax,
            x,
            y,
            width,
            0.72,
            ink,
            text=text,
            size=9.5,
            facecolor=ink.paper,
            edgecolor=edge,
            textcolor=ink.error if edge == ink.error else ink.text,
        )

    def edge(a, b, label=""):
        arrow(ax, a, b, color=ink.text, width=1.1)
        if label:
            ax.text((a[0] + b[0]) / 2 + 0.1, (a[1] + b[1]) / 2 + 0.08, label, fontsize=9,
                    color=ink.text)  # fmt: skip

    node(1.75, 4.6, "use_cudnn ?", ink.text)
    node(1.75, 3.2, "recurrent_dropout > 0 ?", ink.text)
    node(1.75, 1.8, "tanh, sigmoid, unroll=False,\nuse_bias=True, GPU visible ?", ink.text, 3.3)
    node(1.75, 0.45, "cuDNN kernel", kernel)
    node(6.0, 4.6, "generic kernel\n(loop over timesteps)", kernel)
    node(6.0, 2.5, "use_cudnn ?", ink.text, 2.0)
    node(9.0, 2.5, "ValueError", ink.error, 1.7)
    edge((3.1, 4.6), (4.65, 4.6), "False")
    edge((1.75, 4.24), (1.75, 3.56), '"auto" / True')
    edge((1.75, 2.84), (1.75, 2.25), "no")
    edge((1.75, 1.35), (1.75, 0.81), "yes")
    edge((3.1, 3.2), (4.95, 2.65), "yes")
    edge((3.4, 1.8), (4.95, 2.35), "no")
    edge((6.0, 2.86), (6.0, 4.24), '"auto"')
    edge((7.0, 2.5), (8.15, 2.5), "True")
    legend(ax, [swatch(kernel, "the kernel that runs"), swatch(ink.error, "error")], ink,
           loc="lower right", bbox_to_anchor=(10, -0.45), bbox_transform=ax.transData,
           ncols=2, borderaxespad=0, handlelength=1.2)  # fmt: skip
    return figure
