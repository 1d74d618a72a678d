"""Diagrams drawn at build time with matplotlib: what an LSTM returns, its gates, its states,
and the data plots of the how-to pages.

One palette for every figure (:mod:`~lstm_outputs.diagrams.palette`: Okabe–Ito,
colour-blind safe; ``h`` blue, ``c`` orange, not returned grey, errors vermillion),
each drawn for the light and the dark page (``dark=True``) on a transparent
background, sized so that its text is at least 12 px where the site shows it
(:mod:`~lstm_outputs.diagrams.sizing`). The figures are plain
:class:`matplotlib.figure.Figure` objects, made without ``pyplot``, so nothing is
left open and a notebook shows each exactly once; a page glues both versions with
:func:`~lstm_outputs.diagrams.svg.glue_figure`.

matplotlib is imported inside the functions, so ``import lstm_outputs`` stays light.
"""

from __future__ import annotations

from lstm_outputs.diagrams._draw import RETURNED_GID, TENSOR_GID
from lstm_outputs.diagrams.architectures import (
    bidirectional,
    cudnn_kernel_choice,
    encoder_decoder,
    stack,
)
from lstm_outputs.diagrams.cell import cell
from lstm_outputs.diagrams.conv_lstm import conv_lstm
from lstm_outputs.diagrams.palette import (
    CELL,
    ERROR,
    FAINT,
    HIDDEN,
    MUTED,
    OKABE_ITO,
    PALETTE,
    Ink,
    ink,
)
from lstm_outputs.diagrams.plots import (
    hidden_heatmap,
    masked_states,
    parameter_bars,
    stateful_states,
    training_curves,
)
from lstm_outputs.diagrams.sizing import CONTENT_WIDTH_PX, MIN_TEXT_PX, text_sizes_px
from lstm_outputs.diagrams.small_multiples import four_configurations, returns_text
from lstm_outputs.diagrams.svg import DARK_SUFFIX, glue_figure, svg_colours, svg_text
from lstm_outputs.diagrams.unrolled import (
    GENERIC_SHAPES,
    SYMBOLS,
    highlighted,
    returned_labels,
    tensor_label,
    tensor_labels,
    unrolled,
)

__all__ = [
    "CELL",
    "CONTENT_WIDTH_PX",
    "DARK_SUFFIX",
    "ERROR",
    "FAINT",
    "GENERIC_SHAPES",
    "HIDDEN",
    "MIN_TEXT_PX",
    "MUTED",
    "OKABE_ITO",
    "PALETTE",
    "RETURNED_GID",
    "SYMBOLS",
    "TENSOR_GID",
    "Ink",
    "bidirectional",
    "cell",
    "conv_lstm",
    "cudnn_kernel_choice",
    "encoder_decoder",
    "four_configurations",
    "glue_figure",
    "hidden_heatmap",
    "highlighted",
    "ink",
    "masked_states",
    "parameter_bars",
    "returned_labels",
    "returns_text",
    "stack",
    "stateful_states",
    "svg_colours",
    "svg_text",
    "tensor_label",
    "tensor_labels",
    "text_sizes_px",
    "training_curves",
    "unrolled",
]
