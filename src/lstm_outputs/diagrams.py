"""Diagrams drawn at build time with matplotlib: what an LSTM returns, its gates, its states.

Every figure uses the Okabe–Ito palette, which stays distinguishable with the
common kinds of colour blindness, and is sized for a ~750 px wide page. The
figures are plain :class:`matplotlib.figure.Figure` objects, made without
``pyplot``, so nothing is left open and a notebook shows each exactly once.

The text of a returned tensor is tagged with an artist ``gid``, so what a
diagram highlights can be read back without looking at pixels:
:func:`highlighted` lists the highlighted symbols (``h_1``, ``h_T``, ``c_T`` …)
and :func:`tensor_labels` the labels naming each returned tensor.

matplotlib is imported inside the functions, so ``import lstm_outputs`` stays light.
"""

from __future__ import annotations

from lstm_outputs.configs import OutputConfig

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
#: Hidden states are blue, cell states orange, everything not returned grey.
HIDDEN = OKABE_ITO["blue"]
CELL = OKABE_ITO["orange"]
MUTED = "#8C8C8C"
FAINT = "#F2F2F2"

#: ``gid`` of a highlighted (returned) symbol and of a returned tensor's label.
RETURNED_GID = "returned"
TENSOR_GID = "tensor"

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


def _symbol(ax, x, y, text, *, returned, color, size=13, gid=None):
    """A state's symbol: filled and bold when returned, grey otherwise."""
    box = {
        "boxstyle": "round,pad=0.3",
        "facecolor": color if returned else "white",
        "edgecolor": color if returned else MUTED,
        "linewidth": 1.2,
    }
    ink = ("white" if color == HIDDEN else "black") if returned else MUTED
    return ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=size,
        color=ink,
        bbox=box,
        gid=gid if gid is not None else (RETURNED_GID if returned else None),
        zorder=3,
    )


def _arrow(ax, start, end, *, color="black", width=1.3, style="-|>"):
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(
        FancyArrowPatch(
            start, end, arrowstyle=style, mutation_scale=12, color=color, linewidth=width, zorder=1
        )
    )


def _box(
    ax, x, y, width, height, *, text="", facecolor=FAINT, edgecolor="black", size=11, zorder=2
):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=facecolor,
            edgecolor=edgecolor,
            linewidth=1.2,
            zorder=zorder,
        )
    )
    if text:
        ink = "white" if facecolor == HIDDEN else "black"
        ax.text(x, y, text, ha="center", va="center", fontsize=size, color=ink, zorder=zorder + 1)


def _new_figure(width: float, height: float):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="none")
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    return figure, ax


def unrolled(config: OutputConfig, *, title: bool = True):
    """The LSTM unrolled over timesteps 1, 2, …, T, with the returned tensors highlighted.

    Hidden states ``h_t`` leave each cell upwards; ``h`` and ``c`` run right into
    the next timestep; after step T, ``h_T`` and ``c_T`` leave on the right as the
    final states. What the configuration returns is filled in colour and named
    (``[1] state_h`` …); what is computed but not returned stays grey.

    >>> fig = unrolled(OutputConfig(return_sequences=False, return_state=False))
    >>> highlighted(fig), tensor_labels(fig)
    (['h_T'], ['last_hidden (batch, units)'])
    """
    if not isinstance(config, OutputConfig):
        raise TypeError(f"config must be an OutputConfig, got {config!r}")
    figure, ax = _new_figure(7.5, 4.3)
    ax.set_xlim(-1.25, 10.2)
    ax.set_ylim(-0.35, 5.4)

    columns = {"1": 0.9, "2": 3.0, "…": 4.55, "T": 6.1}
    half = 0.55  # half a cell's width
    c_y, h_y, out_y = 2.25, 1.65, 3.55
    sequence = config.return_sequences

    # Initial states: zeros unless initial_state is passed.
    ax.text(
        columns["1"] - half - 0.15,
        1.95,
        "$h_0$, $c_0$\n(zeros)",
        ha="right",
        va="center",
        fontsize=9,
        color=MUTED,
    )

    for label, x in columns.items():
        if label == "…":
            ax.text(x, 1.95, "⋯", ha="center", va="center", fontsize=18)
            ax.text(x, out_y, "⋯", ha="center", va="center", fontsize=18,
                    color=HIDDEN if sequence else MUTED)  # fmt: skip
            ax.text(x, 0.35, "⋯", ha="center", va="center", fontsize=18)
            continue
        _box(ax, x, 1.95, 2 * half, 1.0, text="LSTM\ncell", size=10)
        ax.text(x, 0.35, f"$x_{{{label}}}$", ha="center", va="center", fontsize=13)
        _arrow(ax, (x, 0.6), (x, 1.43))
        last = label == "T"
        returned = sequence or last
        _arrow(ax, (x, 2.47), (x, out_y - 0.3), color=HIDDEN if returned else MUTED)
        _symbol(ax, x, out_y, f"$h_{{{label}}}$", returned=returned, color=HIDDEN)

    # h and c carried from one step to the next.
    steps = [("1", "2", "1"), ("2", "…", "2"), ("…", "T", "{T-1}")]
    for start, end, index in steps:
        x0 = columns[start] + (0.3 if start == "…" else half)
        x1 = columns[end] - (0.3 if end == "…" else half)
        _arrow(ax, (x0, c_y), (x1, c_y), color=CELL, width=1.8)
        _arrow(ax, (x0, h_y), (x1, h_y), color=HIDDEN, width=1.8)
        mid = (x0 + x1) / 2
        ax.text(mid, c_y + 0.08, f"$c_{index}$", ha="center", va="bottom", fontsize=9)
        ax.text(mid, h_y - 0.08, f"$h_{index}$", ha="center", va="top", fontsize=9)

    # Final states after step T.
    state_x = 7.55
    for symbol, y, color in (("$c_T$", c_y + 0.15, CELL), ("$h_T$", h_y - 0.15, HIDDEN)):
        _arrow(ax, (columns["T"] + half, y), (state_x - 0.35, y), color=color, width=1.8)
        _symbol(ax, state_x, y, symbol, returned=config.return_state, color=color)

    # Name each returned tensor, in Keras's order.
    labels = [tensor_label(config, i) for i in range(len(config.returned_names))]
    first_name, first_shape = labels[0].rsplit(" (", 1)
    first_text = f"{first_name}\n({first_shape}"
    if sequence:
        left, right, top = columns["1"] - 0.3, columns["T"] + 0.3, out_y + 0.5
        ax.plot([left, left, right, right], [top - 0.12, top, top, top - 0.12],
                color=HIDDEN, linewidth=1.5)  # fmt: skip
        ax.text((left + right) / 2, top + 0.12, first_text, ha="center", va="bottom",
                fontsize=11, color=HIDDEN, fontweight="bold", gid=TENSOR_GID)  # fmt: skip
    else:
        ax.text(columns["T"], out_y + 0.42, first_text, ha="center", va="bottom",
                fontsize=11, color=HIDDEN, fontweight="bold", gid=TENSOR_GID)  # fmt: skip
    if config.return_state:
        for label, y, color in ((labels[1], h_y - 0.15, HIDDEN), (labels[2], c_y + 0.15, CELL)):
            name, shape = label.rsplit(" (", 1)
            ax.text(state_x + 0.45, y, f"{name}\n({shape}", ha="left", va="center",
                    fontsize=11, color="black" if color == CELL else HIDDEN,
                    fontweight="bold", gid=TENSOR_GID)  # fmt: skip
    else:
        ax.text(state_x, 0.95, "final states\nnot returned", ha="center", va="top",
                fontsize=9, color=MUTED)  # fmt: skip

    ax.text(-1.2, -0.25, "filled: returned    grey: computed, not returned",
            ha="left", va="bottom", fontsize=9, color=MUTED)  # fmt: skip
    if title:
        ax.text(-1.2, 5.35, f"{config.keras_call(16).replace('16', 'units')} returns",
                ha="left", va="top", fontsize=12, family="monospace")  # fmt: skip
    return figure


#: Ink on the light and the dark page: text, hidden state, cell state, not returned.
INKS = {
    False: {"text": "#000000", "hidden": HIDDEN, "cell": CELL, "muted": MUTED, "frame": "#D0D0D0"},
    True: {
        "text": "#CED6DD",
        "hidden": OKABE_ITO["sky_blue"],
        "cell": CELL,
        "muted": MUTED,
        "frame": "#48505A",
    },
}


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


def _filled(ax, x, y, symbol, *, returned, colour, ink):
    """A state in a small multiple: filled when returned, outlined grey when not."""
    box = {
        "boxstyle": "round,pad=0.3",
        "linewidth": 1.2,
        "facecolor": colour if returned else "none",
        "edgecolor": colour if returned else ink["muted"],
    }
    ax.text(
        x,
        y,
        symbol,
        ha="center",
        va="center",
        fontsize=14,
        bbox=box,
        color="#000000" if returned else ink["muted"],
        gid=RETURNED_GID if returned else None,
        zorder=3,
    )


def _panel(ax, config: OutputConfig, ink: dict[str, str]) -> None:
    """One small multiple: steps 1 … T, each h_t above its step, the final states on the right."""
    from matplotlib.patches import FancyBboxPatch

    ax.set_xlim(0, 10)
    ax.set_ylim(0, 6.6)
    ax.set_axis_off()
    ax.set_gid(config.name)
    frame = FancyBboxPatch((0.08, 0.08), 9.84, 6.44, boxstyle="round,pad=0,rounding_size=0.3")
    frame.set(facecolor="none", edgecolor=ink["frame"], linewidth=1)
    ax.add_patch(frame)
    flags = "\n".join(f"{flag}=True" for flag in config._set_flags()) or "default: no flags"
    ax.text(0.45, 6.25, flags, ha="left", va="top", fontsize=11, family="monospace",
            color=ink["text"])  # fmt: skip
    step_y, up_y, h_y, c_y, state_x = 2.4, 4.0, 2.0, 2.8, 8.55
    for label, x in (("1", 1.4), ("T", 5.4)):
        returned = config.return_sequences or label == "T"
        colour = ink["hidden"] if returned else ink["muted"]
        _arrow(ax, (x, step_y + 0.55), (x, up_y - 0.45), color=colour, width=1.4)
        _filled(ax, x, up_y, f"$h_{label}$", returned=returned, colour=ink["hidden"], ink=ink)
        step = FancyBboxPatch((x - 0.75, step_y - 0.55), 1.5, 1.1,
                              boxstyle="round,pad=0.02,rounding_size=0.15")  # fmt: skip
        step.set(facecolor="none", edgecolor=ink["text"], linewidth=1.2, zorder=2)
        ax.add_patch(step)
        ax.text(x, step_y, f"t = {label}", ha="center", va="center", fontsize=10,
                color=ink["text"], zorder=3)  # fmt: skip
    ax.text(3.4, step_y, "⋯", ha="center", va="center", fontsize=14, color=ink["text"])
    for start, end in ((2.15, 2.85), (3.95, 4.65)):
        _arrow(ax, (start, c_y), (end, c_y), color=ink["cell"], width=1.4)
        _arrow(ax, (start, h_y), (end, h_y), color=ink["hidden"], width=1.4)
    finals = (("$c_T$", c_y + 0.25, ink["cell"]), ("$h_T$", h_y - 0.25, ink["hidden"]))
    for symbol, y, colour in finals:
        _arrow(ax, (6.15, y), (state_x - 0.6, y), color=colour, width=1.4)
        _filled(ax, state_x, y, symbol, returned=config.return_state, colour=colour, ink=ink)
    ax.text(0.45, 0.7, "returns " + returns_text(config), ha="left", va="center",
            fontsize=13, color=ink["text"], gid=TENSOR_GID)  # fmt: skip


def four_configurations(*, dark: bool = False):
    """The four configurations as small multiples: each unrolled, its returned tensors filled.

    One panel per configuration, in the site's order; each panel's ``gid`` is the
    configuration's name. ``dark=True`` draws light ink for a dark page (the
    background is transparent either way).

    >>> fig = four_configurations()
    >>> [ax.get_gid() for ax in fig.axes]
    ['default', 'return_sequences', 'return_state', 'both']
    >>> [highlighted(ax) for ax in fig.axes]
    [['h_T'], ['h_1', 'h_T'], ['h_T', 'c_T', 'h_T'], ['h_1', 'h_T', 'c_T', 'h_T']]
    """
    from matplotlib.figure import Figure

    from lstm_outputs.configs import CONFIGS

    if not isinstance(dark, bool):
        raise TypeError(f"dark must be True or False, got {dark!r}")
    figure = Figure(figsize=(5.4, 3.8), layout="none")
    figure.patch.set_alpha(0)
    grid = {"wspace": 0.06, "hspace": 0.08, "left": 0, "right": 1, "top": 1, "bottom": 0}
    axes = figure.subplots(2, 2, gridspec_kw=grid)
    for ax, config in zip(axes.flat, CONFIGS, strict=True):
        ax.patch.set_alpha(0)
        _panel(ax, config, INKS[dark])
    return figure


def cell(*, title: bool = True):
    """One LSTM cell at timestep t: its four gates and how ``c`` and ``h`` are updated.

    ``c`` (orange) runs along the top, scaled by the forget gate and topped up by
    input gate × candidate; ``h`` (blue) is the output gate times ``tanh(c_t)``.

    >>> from matplotlib.text import Text
    >>> [t.get_gid() for t in cell().findobj(Text) if str(t.get_gid()).startswith("gate")]
    ['gate:f', 'gate:i', 'gate:c', 'gate:o']
    """
    figure, ax = _new_figure(7.5, 4.2)
    ax.set_xlim(-0.4, 11.0)
    ax.set_ylim(-0.55, 5.6)
    green, purple, vermillion = (
        OKABE_ITO[k] for k in ("bluish_green", "reddish_purple", "vermillion")
    )
    _box(ax, 5.0, 2.45, 8.6, 4.1, facecolor="#FAFAFA", edgecolor=MUTED, zorder=0)
    top, bottom = 4.0, 0.75

    def node(x, y, text):
        ax.text(x, y, text, ha="center", va="center", fontsize=13, zorder=4,
                bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": "black"})  # fmt: skip

    # The cell state runs along the top: c_{t-1} → ×f → +(i·c̃) → c_t.
    ax.text(-0.3, top, "$c_{t-1}$", ha="left", va="center", fontsize=13)
    _arrow(ax, (0.45, top), (10.1, top), color=CELL, width=2.2)
    ax.text(10.25, top, "$c_t$", ha="left", va="center", fontsize=13)
    # [h_{t-1}, x_t] runs along the bottom into every gate.
    ax.text(-0.3, bottom, "$h_{t-1}$", ha="left", va="center", fontsize=13)
    _arrow(ax, (0.45, bottom), (7.6, bottom), color=HIDDEN, width=2.2, style="-")
    ax.text(1.3, -0.35, "$x_t$", ha="center", va="center", fontsize=13)
    _arrow(ax, (1.3, -0.15), (1.3, bottom), width=1.5, style="-")

    gates = [  # x, gate, symbol, activation, colour, where its output goes
        (2.2, "f", "$f_t$", "σ", vermillion, (2.2, top)),
        (3.9, "i", "$i_t$", "σ", HIDDEN, (4.7, 2.95)),
        (5.5, "c", "$\\tilde{c}_t$", "tanh", green, (4.7, 2.95)),
        (7.6, "o", "$o_t$", "σ", purple, (8.7, 2.5)),
    ]
    for x, gate, symbol, activation, colour, target in gates:
        _arrow(ax, (x, bottom), (x, 1.45), width=1.2)
        _box(ax, x, 1.72, 1.0, 0.52, text=activation, facecolor=colour, size=11)
        ax.text(x - 0.58, 2.25, symbol, ha="right", va="center", fontsize=12, gid=f"gate:{gate}")
        tx, ty = target
        if tx == x:
            _arrow(ax, (x, 1.98), (x, ty - 0.22), width=1.2)
        else:
            _arrow(ax, (x, 1.98), (x, ty), width=1.2, style="-")
            _arrow(ax, (x, ty), (tx + (0.22 if tx < x else -0.22), ty), width=1.2)
    node(2.2, top, "×")
    node(4.7, 2.95, "×")
    _arrow(ax, (4.7, 3.17), (4.7, top - 0.22), width=1.2)
    node(4.7, top, "+")
    # h_t = o_t · tanh(c_t), leaving right (to the next step) and up (the output).
    _arrow(ax, (8.7, top), (8.7, 3.45), width=1.2)
    _box(ax, 8.7, 3.24, 0.9, 0.42, text="tanh", facecolor=FAINT, size=10)
    _arrow(ax, (8.7, 3.03), (8.7, 2.72), width=1.2)
    node(8.7, 2.5, "×")
    _arrow(ax, (8.92, 2.5), (9.5, 2.5), color=HIDDEN, width=2.2, style="-")
    _arrow(ax, (9.5, 2.5), (9.5, bottom), color=HIDDEN, width=2.2, style="-")
    _arrow(ax, (9.5, bottom), (10.1, bottom), color=HIDDEN, width=2.2)
    ax.text(10.25, bottom, "$h_t$", ha="left", va="center", fontsize=13)
    _arrow(ax, (9.5, 2.5), (9.5, 5.25), color=HIDDEN, width=2.2)
    ax.text(9.65, 5.2, "$h_t$ (output)", ha="left", va="top", fontsize=12)
    if title:
        ax.text(-0.3, 5.5, "One LSTM cell at timestep t", ha="left", va="top", fontsize=12)
    return figure


def hidden_heatmap(sequence, *, sample: int = 0, title: str | None = None):
    """A heat map of one sample's hidden states over time: timesteps × units.

    ``sequence`` is what ``return_sequences=True`` returns, ``(batch, timesteps,
    units)``. Values of ``tanh``-bounded ``h`` lie in (-1, 1); the colour scale
    is symmetric around 0 and uses the colour-blind-safe ``PuOr`` map.

    >>> import numpy as np
    >>> fig = hidden_heatmap(np.zeros((2, 4, 16)))
    >>> fig.axes[0].images[0].get_array().shape
    (4, 16)
    """
    import numpy as np

    values = np.asarray(sequence)
    if values.ndim != 3:
        raise ValueError(f"sequence must have shape (batch, timesteps, units), got {values.shape}")
    rows = values[sample]
    timesteps, units = rows.shape
    limit = max(float(np.abs(rows).max()), 1e-6)
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 0.9 + 0.42 * timesteps), layout="constrained")
    ax = figure.add_subplot()
    image = ax.imshow(rows, cmap="PuOr_r", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_yticks(range(timesteps), [f"t = {t + 1}" for t in range(timesteps)])
    ax.set_xticks(range(units))
    ax.set_xticklabels([str(u) if units <= 20 or u % 4 == 0 else "" for u in range(units)])
    ax.set_xlabel("unit")
    colorbar = figure.colorbar(image, ax=ax, pad=0.02)
    colorbar.set_label("$h_t$")
    if title:
        ax.set_title(title, fontsize=11, loc="left")
    return figure
