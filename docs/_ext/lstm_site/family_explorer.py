"""``{family-explorer}``: the Explore page's panel for ConvLSTM layers and ``RNN`` over cells.

Its data is :func:`lstm_outputs.family_explorer_data.family_data`, a compact table embedded
as JSON; ``_static/explore-family.js`` computes each answer from it (the page's tests compare
that with the package).
"""

from __future__ import annotations

import html
import json

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

#: Each size's label and help text; ``conv``/``cells`` fields show for that form only.
FIELDS = {
    "cells": ("cells", "units of each cell, bottom first: 16, 32", "cells"),
    "filters": ("filters", "the layer's filters, F", "conv"),
    "kernel_size": ("kernel_size", "one size, or one per spatial axis", "conv"),
    "spatial": ("spatial", "the frame's size on each spatial axis", "conv"),
    "strides": ("strides", "one, or one per spatial axis", "conv"),
    "dilation_rate": ("dilation_rate", "one, or one per spatial axis", "conv"),
    "timesteps": ("timesteps", "frames (or timesteps) per sample, T", None),
    "features": ("features", "channels of each frame (ConvLSTM), features (RNN)", None),
    "batch": ("batch", "samples per batch", None),
}
UNKNOWABLE = ("timesteps", "batch")


def _shown_for(form: str | None) -> str:
    return f' data-for="{form}"' if form else ""


def _select(field: str, label: str, options: list[str], selected: str, form=None) -> str:
    choices = "".join(
        f'<option value="{html.escape(o)}"{" selected" if o == selected else ""}>'
        f"{html.escape(o)}</option>"
        for o in options
    )
    return (
        f'<div class="explore-field"{_shown_for(form)}><label for="family-{field}">{label}'
        f'</label><select id="family-{field}" data-field="{field}">{choices}</select></div>'
    )


def _flags(*fields: str) -> str:
    """The flags' checkboxes, together in one cell of the form's grid."""
    boxes = "".join(
        f'<div class="explore-check"><input type="checkbox" id="family-{field}" '
        f'data-field="{field}"><label for="family-{field}"><code>{field}=True</code></label>'
        "</div>"
        for field in fields
    )
    return f'<div class="explore-field family-flags">{boxes}</div>'


def _text(field: str, value: str) -> str:
    label, help_text, form = FIELDS[field]
    unknown = ""
    if field in UNKNOWABLE:
        unknown = (
            f'<span class="explore-unknown"><input type="checkbox" id="family-{field}-unknown" '
            f'data-unknown="{field}"{" checked" if not value else ""}>'
            f'<label for="family-{field}-unknown">unknown (<code>None</code>)</label></span>'
        )
    return (
        f'<div class="explore-field explore-size"{_shown_for(form)}>'
        f'<label for="family-{field}">{label}</label>'
        f'<input type="text" id="family-{field}" data-field="{field}" value="{value}" '
        f'aria-describedby="family-{field}-help family-{field}-error" autocomplete="off" '
        f'spellcheck="false">{unknown}'
        f'<span class="explore-help" id="family-{field}-help">{help_text}</span>'
        f'<span class="family-error" id="family-{field}-error" role="alert" '
        f'data-error="{field}"></span></div>'
    )


def family_html() -> str:
    """The panel's markup: its controls, empty result slots and its data."""
    from lstm_outputs.configs import LAYERS
    from lstm_outputs.family_explorer_data import family_data

    data = family_data()
    start = data["start"]
    layers = [*data["conv_layers"], "RNN"]
    controls = "".join(
        [
            _select("layer", "Layer", layers, start["layer"]),
            _select("cell", "Cells", list(LAYERS), "LSTM", form="cells"),
            _text("cells", start["cells"]),
            *(_text(f, start[f]) for f in ("filters", "kernel_size", "spatial")),
            _select("padding", "padding", data["paddings"], data["paddings"][0], form="conv"),
            *(_text(f, start[f]) for f in ("strides", "dilation_rate")),
            _select(
                "data_format",
                "data_format",
                data["data_formats"],
                data["data_formats"][0],
                form="conv",
            ),
            _flags("return_sequences", "return_state"),
            *(_text(f, start.get(f, "")) for f in ("timesteps", "features", "batch")),
        ]
    )
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"""
<div class="explore explore-family" id="family">
<form class="explore-controls" aria-label="ConvLSTM or RNN configuration" novalidate>{controls}
</form>
<p class="family-invalid" id="family-invalid" hidden>Correct the field marked above to see
what the layer returns.</p>
<div class="explore-results" id="family-results" aria-live="polite">
<p class="explore-line">Input: <code id="family-input-shape"></code></p>
<p class="explore-line">Layer: <code id="family-call"></code></p>
<p class="explore-line">Unpacking: <code id="family-unpacking"></code></p>
<table class="explore-table" id="family-tensors">
<caption>What the layer returns, in Keras's order (an inner list is a cell's states)</caption>
<thead><tr><th scope="col">Index</th><th scope="col">Name</th><th scope="col">Shape</th>
<th scope="col">Meaning</th></tr></thead><tbody></tbody></table>
<p class="explore-line">Parameters: <strong id="family-parameters"></strong>
= <code id="family-formula"></code></p>
<p class="explore-line" id="family-frame-rule" data-for="conv">Each spatial axis of size
<var>n</var>, with kernel <var>k</var>, strides <var>s</var> and dilation <var>d</var>:
<code id="family-frame-formula"></code></p>
<div class="explore-code"><div class="explore-code-head"><h3>Keras code</h3>
<button type="button" class="explore-copy" id="family-copy">Copy Keras code</button>
<span class="explore-copied" id="family-copied" aria-live="polite"></span></div>
<pre><code id="family-keras-code"></code></pre></div>
</div>
<script type="application/json" id="family-data">{payload}</script>
</div>
"""


class FamilyExplorerDirective(SphinxDirective):
    """``{family-explorer}``: the panel, built from the package when the page is read."""

    has_content = False

    def run(self):
        from pathlib import Path

        import lstm_outputs

        for source in sorted(Path(lstm_outputs.__file__).parent.glob("*.py")):
            self.env.note_dependency(str(source))
        self.env.note_dependency(__file__)
        self.env.metadata[self.env.docname]["family_explorer"] = True
        return [nodes.raw("", family_html(), format="html")]
