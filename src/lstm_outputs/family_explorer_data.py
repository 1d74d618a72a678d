"""The Explore page's recurrent-family panel: ConvLSTM layers and ``RNN`` over a list of cells.

A compact table, not every configuration: a ConvLSTM layer's answer depends on up to a dozen
sizes, so the page's script computes it with the rules written below, which the site's tests
compare with :mod:`lstm_outputs.shapes` and :mod:`lstm_outputs.report` over a grid of
configurations. Names, meanings, formulas' text and messages come from the package.
"""

from __future__ import annotations

from lstm_outputs.configs import LAYERS, MEANINGS
from lstm_outputs.formulas import keras_parameter_formula
from lstm_outputs.limits import AXIS_LIMIT, SIZE_LIMITS
from lstm_outputs.shapes import (
    CELL_STATE_NAME,
    CONV_LSTM_LAYERS,
    DATA_FORMATS,
    PADDINGS,
    STACKED_MEANINGS,
    state_names,
)

#: The text of a ConvLSTM layer's parameter count (:func:`~lstm_outputs.shapes.conv_lstm_parameter_count`):
#: K the kernel's size (product over the axes), C the input's channels, F the filters.
CONV_LSTM_FORMULA = "4·(K·(C+F)·F+F)"
#: The output length of one spatial axis (:func:`~lstm_outputs.shapes.conv_output_length`).
CONV_OUTPUT_FORMULAS = {"valid": "⌊(n − d·(k−1) − 1) / s⌋ + 1", "same": "⌈n / s⌉"}
#: The panel's one-line messages, naming the field (``{field}``).
FAMILY_MESSAGES = {
    "empty": "{field} is empty: enter a positive whole number",
    "not_integer": "{field} must be a positive whole number, got {value}",
    "too_large": "{field} must be at most {limit}, got {value}",
    "axes": "{field} must be one size, or {rank} (one per spatial axis), got {value}",
    "spatial_axes": "spatial must be {rank} sizes for {layer}, got {value}",
    "cells": "cells must be positive whole numbers separated by commas, like 16, 32; got {value}",
    "kernel_too_large": "kernel_size {kernel} (dilation_rate {dilation}) is larger than the "
    "input's {length} with padding='valid'",
    "strides_with_dilation": "strides > 1 cannot be combined with dilation_rate > 1",
}
#: The sizes the panel opens with: the CLI page's ConvLSTM2D and cells examples.
FAMILY_START = {
    "layer": "ConvLSTM2D",
    "filters": "4",
    "kernel_size": "3",
    "spatial": "8, 8",
    "strides": "1",
    "dilation_rate": "1",
    "features": "3",
    "timesteps": "5",
    "cells": "16, 32",
}


def family_data() -> dict:
    """What the panel's script needs, small: layers, choices, limits, names and meanings.

    >>> data = family_data()
    >>> data["conv_layers"]["ConvLSTM3D"], data["cells"]["LSTM"]["states"]
    (3, ['h', 'c'])
    >>> data["cells"]["GRU"]["formula"]["terms"]
    [[3, ['units', 'units']], [3, ['units', 'features']], [6, ['units']]]
    """
    return {
        "conv_layers": dict(CONV_LSTM_LAYERS),
        "paddings": list(PADDINGS),
        "data_formats": list(DATA_FORMATS),
        "meanings": {
            name: MEANINGS[name] for name in ("last_hidden", "sequence", "state_h", "state_c")
        },
        "stacked_meanings": dict(STACKED_MEANINGS),
        "cell_state_name": CELL_STATE_NAME,
        "cells": {
            kind: {
                "states": [name[-1] for name in state_names(kind)],
                "formula": _terms(keras_parameter_formula(kind)),
            }
            for kind in LAYERS
        },
        "conv_formula": CONV_LSTM_FORMULA,
        "conv_output_formulas": dict(CONV_OUTPUT_FORMULAS),
        "limits": {
            "filters": SIZE_LIMITS["units"],
            "features": SIZE_LIMITS["features"],
            "timesteps": SIZE_LIMITS["timesteps"],
            "batch": SIZE_LIMITS["batch"],
            "cells": SIZE_LIMITS["units"],
            "axis": AXIS_LIMIT,
        },
        "messages": dict(FAMILY_MESSAGES),
        "start": dict(FAMILY_START),
    }


def _terms(formula) -> dict:
    """A layer's formula as its text and terms, each a coefficient and the sizes it multiplies
    (``units`` the cell's, ``features`` its input's width)."""
    return {
        "text": formula.text,
        "template": formula.template,
        "terms": [
            [c, p]
            for c, p in zip(
                formula.coefficients,
                [["units", "units"], ["units", "features"], ["units"]],
                strict=True,
            )
        ],
    }
