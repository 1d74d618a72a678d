"""Data plots of the pages' results: heat maps, training curves, states over time, counts.

Each takes the page's arrays and draws them in the palette: hidden-state values in
the hidden state's blue, a second run of the same quantity dashed in a series
colour, reference lines dotted in the text colour, padding grey.
"""

from __future__ import annotations

import numpy as np

from lstm_outputs.diagrams.palette import Ink, diverging
from lstm_outputs.diagrams.palette import ink as ink_for


def _figure(width: float, height: float, ink: Ink, *, columns: int = 1, sharey=False):
    """A transparent figure with ``columns`` axes in the page's ink."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained")
    figure.patch.set_alpha(0)
    axes = figure.subplots(1, columns, sharey=sharey, squeeze=False)[0]
    for ax in axes:
        ax.patch.set_alpha(0)
        ax.tick_params(colors=ink.text, labelsize=10, which="both")
        for spine in ax.spines.values():
            spine.set_edgecolor(ink.text)
        ax.spines[["top", "right"]].set_visible(False)
        ax.xaxis.label.set_color(ink.text)
        ax.yaxis.label.set_color(ink.text)
        ax.title.set_color(ink.text)
    return figure, axes


def _legend(ax, ink: Ink, **options):
    options = {"fontsize": 10, "frameon": False, "labelcolor": ink.text, **options}
    return ax.legend(**options)


def _grid(ax, ink: Ink):
    ax.grid(color=ink.frame, linewidth=0.6)
    ax.set_axisbelow(True)


def _array(values, name: str, ndim: int) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {array.shape}")
    return array


def hidden_heatmap(sequence, *, sample: int = 0, title: str | None = None, dark: bool = False):
    """A heat map of one sample's hidden states over time: timesteps × units.

    ``sequence`` is what ``return_sequences=True`` returns, ``(batch, timesteps,
    units)``. Values of ``tanh``-bounded ``h`` lie in (-1, 1); the colour scale is
    symmetric around 0, purple to green through the page's colour.

    >>> fig = hidden_heatmap(np.zeros((2, 4, 16)))
    >>> fig.axes[0].images[0].get_array().shape
    (4, 16)
    """
    values = np.asarray(sequence)
    if values.ndim != 3:
        raise ValueError(f"sequence must have shape (batch, timesteps, units), got {values.shape}")
    ink = ink_for(dark)
    rows = values[sample]
    timesteps, units = rows.shape
    limit = max(float(np.abs(rows).max()), 1e-6)
    figure, (ax,) = _figure(7.5, 0.9 + 0.42 * timesteps, ink)
    image = ax.imshow(rows, cmap=diverging(dark), vmin=-limit, vmax=limit, aspect="auto")
    ax.set_yticks(range(timesteps), [f"t = {t + 1}" for t in range(timesteps)])
    ax.set_xticks(range(units))
    ax.set_xticklabels([str(u) if units <= 20 or u % 4 == 0 else "" for u in range(units)])
    ax.set_xlabel("unit")
    colorbar = figure.colorbar(image, ax=ax, pad=0.02)
    colorbar.set_label("$h_t$", color=ink.text)
    colorbar.ax.tick_params(colors=ink.text, labelsize=10)
    colorbar.outline.set_edgecolor(ink.text)
    if title:
        ax.set_title(title, fontsize=11, loc="left", color=ink.text)
    return figure


def training_curves(curves, *, ylabel: str, chance: float | None = None, dark: bool = False):
    """Accuracy (or any score) per epoch, one line per ``(label, epochs, values)`` in ``curves``.

    Up to two curves, in the palette's series colours with distinct markers;
    ``chance`` adds a dotted reference line.

    >>> fig = training_curves([("training", [1, 2, 3], [0.2, 0.6, 0.9])], ylabel="accuracy",
    ...                       chance=0.1)
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['training', 'chance: 10 %']
    """
    ink = ink_for(dark)
    curves = list(curves)
    if not 1 <= len(curves) <= len(ink.series):
        raise ValueError(f"curves must hold 1 or 2 (label, epochs, values), got {len(curves)}")
    figure, (ax,) = _figure(6.5, 3.2, ink)
    for (label, epochs, values), colour, marker in zip(curves, ink.series, "os", strict=False):
        ax.plot(_array(epochs, "epochs", 1), _array(values, "values", 1), color=colour,
                marker=marker, ms=4, label=label)  # fmt: skip
    if chance is not None:
        ax.axhline(chance, color=ink.text, linestyle=":", linewidth=1.2,
                   label=f"chance: {chance:.0%}".replace("%", " %"))  # fmt: skip
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_ylim(-0.02, 1.02)
    _grid(ax, ink)
    _legend(ax, ink, loc="best")
    return figure


def parameter_bars(counts, *, dark: bool = False):
    """Parameter counts as bars, labelled with their values: ``counts`` maps a name to a count.

    One neutral colour: the bars are named on the axis, colour means nothing here.

    >>> fig = parameter_bars({"LSTM": 1728, "SimpleRNN": 432})
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['1,728', '432']
    """
    ink = ink_for(dark)
    if not counts:
        raise ValueError("counts must name at least one layer")
    figure, (ax,) = _figure(6.5, 3.0, ink)
    values = [int(v) for v in counts.values()]
    bars = ax.bar(list(counts), values, color=ink.series[0])
    ax.bar_label(bars, labels=[f"{v:,}" for v in values], color=ink.text, fontsize=10)
    ax.set_ylabel("parameters")
    ax.set_ylim(0, max(values) * 1.15)
    return figure


def masked_states(masked, unmasked, lengths, *, dark: bool = False):
    """One hidden unit over time for padded sequences, with and without a mask.

    ``masked`` and ``unmasked`` are ``(batch, timesteps, units)`` sequences; one panel
    per sample in ``lengths`` (its valid length), the padded steps shaded grey.

    >>> seq = np.zeros((2, 3, 1))
    >>> len(masked_states(seq, seq, [1, 3]).axes)
    2
    """
    ink = ink_for(dark)
    masked = _array(masked, "masked", 3)
    unmasked = _array(unmasked, "unmasked", 3)
    lengths = [int(n) for n in lengths]
    if masked.shape != unmasked.shape or len(lengths) > masked.shape[0]:
        raise ValueError(f"masked {masked.shape}, unmasked {unmasked.shape} and "
                         f"{len(lengths)} lengths do not match")  # fmt: skip
    steps = np.arange(1, masked.shape[1] + 1)
    figure, axes = _figure(7.5, 2.9, ink, columns=len(lengths), sharey=True)
    for ax, i, length in zip(axes, range(len(lengths)), lengths, strict=True):
        ax.axvspan(length + 0.5, steps[-1] + 0.5, color=ink.muted, alpha=0.35, lw=0,
                   label="padding")  # fmt: skip
        ax.plot(steps, unmasked[i, :, 0], color=ink.series[1], ls="--", marker="s", ms=4,
                label="no mask")  # fmt: skip
        ax.plot(steps, masked[i, :, 0], color=ink.hidden, marker="o", ms=4, label="Masking")
        ax.set_title(f"length {length}", fontsize=11, color=ink.text)
        ax.set_xticks(steps)
        ax.set_xlabel("timestep")
        ax.set_xlim(0.5, steps[-1] + 0.5)
    axes[0].set_ylabel("hidden unit 0")
    _legend(axes[-1], ink, loc="best")
    return figure


def stateful_states(whole, halves, from_zeros, half: int, *, dark: bool = False):
    """Hidden unit 0 of sample 0: one call over the whole sequence, two stateful calls,
    and the second half again after ``reset_state()`` (``from_zeros``, from step ``half + 1``).

    >>> seq = np.zeros((1, 4, 1))
    >>> lines = stateful_states(seq, seq, seq[:, 2:], 2).axes[0].lines
    >>> [line.get_label() for line in lines if not line.get_label().startswith("_")]
    ['whole sequence, one call', 'stateful: two calls', 'second half after reset_state()']
    """
    ink = ink_for(dark)
    whole = _array(whole, "whole", 3)
    halves = _array(halves, "halves", 3)
    from_zeros = _array(from_zeros, "from_zeros", 3)
    steps = np.arange(1, whole.shape[1] + 1)
    figure, (ax,) = _figure(6.5, 3.2, ink)
    ax.plot(steps, whole[0, :, 0], color=ink.hidden, lw=2, label="whole sequence, one call")
    ax.plot(steps, halves[0, :, 0], ls="none", marker="o", ms=8, mfc="none", mec=ink.text,
            mew=1.5, label="stateful: two calls")  # fmt: skip
    ax.plot(steps[half:], from_zeros[0, :, 0], color=ink.series[1], ls="--", marker="s", ms=4,
            label="second half after reset_state()")  # fmt: skip
    ax.axvline(half + 0.5, color=ink.text, lw=0.8, ls=":")
    ax.set_xlabel("timestep")
    ax.set_ylabel("hidden unit 0, sample 0")
    ax.set_xticks(steps)
    _grid(ax, ink)
    _legend(ax, ink)
    return figure
