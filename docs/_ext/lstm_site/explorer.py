"""The Explore page: ``{explorer}`` renders its controls, the package's data and diagrams.

Everything the page shows comes from :func:`lstm_outputs.explorer_data.explorer_data`,
embedded as JSON in the page (no ``fetch``: the page works from ``file://``), and from
:func:`lstm_outputs.diagrams.explorer.explorer_svg`, inlined; ``_static/explore.js`` only
looks configurations up and puts numbers in.
"""

from __future__ import annotations

import html
import json

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

#: The sizes the page opens with: the site's running example.
START = {"units": 16, "timesteps": 4, "features": 10, "batch": None, "proj_size": 0}

SIZE_HELP = {
    "units": "the layer's units, U",
    "timesteps": "timesteps per sample, T",
    "features": "features per timestep, F",
    "batch": "samples per batch",
    "proj_size": "nn.LSTM only: h_t projected to P values; 0: none",
}


#: The unbatched checkbox's label (PyTorch only: Keras always has a batch axis).
UNBATCHED_LABEL = "unbatched input: <code>x</code> is one sequence, <code>(T, F)</code>"


def _select(field: str, label: str, options: list[tuple[str, str]], selected: str) -> str:
    choices = "".join(
        f'<option value="{html.escape(value)}"{" selected" if value == selected else ""}>'
        f"{html.escape(text)}</option>"
        for value, text in options
    )
    return (
        f'<div class="explore-field"><label for="explore-{field}">{label}</label>'
        f'<select id="explore-{field}" data-field="{field}">{choices}</select></div>'
    )


def _checkbox(field: str, label: str, checked: bool = False, *, code: bool = True) -> str:
    text = f"<code>{label}</code>" if code else label
    return (
        f'<div class="explore-field explore-check"><input type="checkbox" id="explore-{field}" '
        f'data-field="{field}"{" checked" if checked else ""}>'
        f'<label for="explore-{field}">{text}</label></div>'
    )


def _size(field: str, value: int | None, unknowable: bool) -> str:
    unknown = ""
    if unknowable:
        unknown = (
            f'<span class="explore-unknown"><input type="checkbox" id="explore-{field}-unknown" '
            f'data-unknown="{field}"{" checked" if value is None else ""}>'
            f'<label for="explore-{field}-unknown">unknown (<code>None</code>)</label></span>'
        )
    shown = "" if value is None else str(value)
    return (
        f'<div class="explore-field explore-size"><label for="explore-{field}">{field}</label>'
        f'<input type="text" inputmode="numeric" id="explore-{field}" data-field="{field}" '
        f'value="{shown}" aria-describedby="explore-{field}-help explore-{field}-error" '
        f'autocomplete="off" spellcheck="false">{unknown}'
        f'<span class="explore-help" id="explore-{field}-help">{SIZE_HELP[field]}</span>'
        f'<span class="explore-error" id="explore-{field}-error" role="alert" '
        f'data-error="{field}"></span></div>'
    )


def _copy_block(kind: str, title: str) -> str:
    return (
        f'<div class="explore-code"><div class="explore-code-head"><h3>{title}</h3>'
        f'<button type="button" class="explore-copy" data-copy="explore-{kind}-code">'
        f"Copy {title}</button>"
        f'<span class="explore-copied" data-copied="explore-{kind}-code" aria-live="polite">'
        f'</span></div><pre><code id="explore-{kind}-code"></code></pre></div>'
    )


def _diagram_label(layer: str, bidirectional: bool) -> str:
    """The diagram's text alternative; the table above it lists what is highlighted."""
    directions = (
        "in two rows, the forward direction reading timesteps 1 to T and the backward "
        "direction reading T back to 1"
        if bidirectional
        else "reading timesteps 1 to T"
    )
    return (
        f"The {layer} layer unrolled, {directions}: each step's hidden state above or below "
        "it, the final states beside the last step read. The states the layer returns, "
        "listed in the table above, are filled in colour."
    )


def explorer_html() -> str:
    """The explorer's markup: controls, empty result slots, diagrams and the data."""
    from lstm_outputs.diagrams.explorer import SCHEMES, diagram_name, explorer_svg
    from lstm_outputs.explorer_data import UNKNOWABLE, explorer_data

    data = explorer_data()
    layers = [(layer["name"], layer["name"]) for layer in data["layers"]]
    modes = [(mode, mode) for mode in data["merge_modes"]]
    controls = "".join(
        [
            _select("layer", "Layer", layers, "LSTM"),
            _checkbox("bidirectional", "Bidirectional"),
            _select("merge_mode", "Merge mode", modes, "concat"),
            _checkbox("return_sequences", "return_sequences=True"),
            _checkbox("return_state", "return_state=True"),
            _checkbox("reset_after", "reset_after=True", checked=True),
            *(_size(f, START[f], f in UNKNOWABLE) for f in ("units", "timesteps", "features")),
            _size("batch", START["batch"], True),
        ]
    )
    diagrams = "".join(
        f'<div class="explore-diagram" data-diagram="{diagram_name(layer, bi)}" hidden '
        f'role="img" aria-label="{_diagram_label(layer, bi)}">'
        f"{explorer_svg(layer, bidirectional=bi)}</div>"
        for layer in (entry["name"] for entry in data["layers"])
        for bi in (False, True)
    )
    # The diagrams' colours for both schemes; explore.css picks the page's.
    palette = " ".join(
        f"--explore-{name}-{scheme}: {colour};"
        for scheme, inks in SCHEMES.items()
        for name, colour in inks.items()
    )
    torch_controls = "".join(
        [
            _checkbox("unbatched", UNBATCHED_LABEL, code=False),
            _size("proj_size", START["proj_size"], False),
        ]
    )
    stand_ins = (
        "PyTorch has no unknown sizes: where batch or timesteps is unknown, the code runs "
        f"{data['torch_stand_ins']['batch']} samples (or, unbatched, one sequence) of "
        f"{data['torch_stand_ins']['timesteps']} timesteps."
    )
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"""
<div class="explore" id="explore" style="{palette}">
<form class="explore-controls" aria-label="Layer configuration" novalidate>{controls}</form>
<div class="explore-results" aria-live="polite">
<p class="explore-line">Input: <code id="explore-input-shape"></code></p>
<p class="explore-line">Layer: <code id="explore-call"></code></p>
<p class="explore-line">Unpacking: <code id="explore-unpacking"></code></p>
<p class="explore-scroll-hint" id="explore-tensors-hint" hidden>
<span aria-hidden="true">⇆</span> The table is wider than the screen: scroll it sideways for
every column.</p>
<table class="explore-table" id="explore-tensors">
<caption>The tensors the layer returns, in Keras's order</caption>
<thead><tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">Shape</th>
<th scope="col">Meaning</th><th scope="col">PyTorch</th></tr></thead><tbody></tbody></table>
<p class="explore-line">Parameters: <strong id="explore-parameters"></strong>
= <code id="explore-formula"></code>, from <code id="explore-formula-text"></code></p>
<figure class="explore-figure"><div class="explore-diagrams">{diagrams}</div>
<figcaption>The layer unrolled over timesteps 1 … T: what it returns is filled in
colour, hidden states blue, cell states orange; grey is computed but not returned.
</figcaption></figure>
{_copy_block("keras", "Keras code")}
</div>
<h3>PyTorch</h3>
<form class="explore-controls" aria-label="PyTorch options" novalidate>{torch_controls}</form>
<div class="explore-results" aria-live="polite">
<p>{stand_ins}</p>
<p class="explore-line">Module: <code id="explore-torch-call"></code></p>
<p class="explore-line">Returns: <code id="explore-torch-unpacking"></code>,
shapes <code id="explore-torch-shapes"></code></p>
<p class="explore-line">Parameters: <strong id="explore-torch-parameters"></strong>
= <code id="explore-torch-formula"></code>, from <code id="explore-torch-formula-text"></code>
(two bias vectors per gate)</p>
<p class="explore-note" id="explore-torch-note" hidden></p>
{_copy_block("torch", "PyTorch code")}
</div>
<script type="application/json" id="explore-data">{payload}</script>
</div>
"""


class ExplorerDirective(SphinxDirective):
    """``{explorer}``: the whole explorer, built from the package when the page is read."""

    has_content = False

    def run(self):
        # The page is read again when the package or this markup changes.
        from pathlib import Path

        import lstm_outputs

        for source in sorted(Path(lstm_outputs.__file__).parent.glob("*.py")):
            self.env.note_dependency(str(source))
        self.env.note_dependency(__file__)
        self.env.metadata[self.env.docname]["explorer"] = True
        return [nodes.raw("", explorer_html(), format="html")]


def add_assets(app, pagename, templatename, context, doctree) -> None:
    """The explorer's script and styles, on the explorer's page only (and the family
    panel's script where ``{family-explorer}`` is)."""
    metadata = app.env.metadata.get(pagename, {})
    if metadata.get("explorer") or metadata.get("family_explorer"):
        app.add_css_file("explore.css")
    if metadata.get("explorer"):
        app.add_js_file("explore.js")
    if metadata.get("family_explorer"):
        app.add_js_file("explore-family.js")
