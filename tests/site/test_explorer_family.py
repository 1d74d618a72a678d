"""The Explore page's family panel (ConvLSTM layers, ``RNN`` over cells) against the package.

The panel computes its answers in the browser from a compact table; here a fixed grid of
configurations (every ConvLSTM rank, padding, data format, strides and dilation, kernels that
do not fit, every cell kind and flag, bad sizes) is set through the DOM in one browser call,
and every displayed input, call, name, shape, meaning and parameter count must be what
:mod:`lstm_outputs.report` says, or the panel must name the field the package rejects. Then
its layout at 390 px and 1440 px, in the light and the dark scheme.
"""

from __future__ import annotations

import itertools
import json

import pytest
from site_tools.viewports import DESKTOP

from lstm_outputs.family_explorer_data import family_data
from lstm_outputs.report import cells_report, conv_lstm_report, unpacking
from lstm_outputs.shapes import format_shape

TIMEOUT = 60_000  # ms: generous, for a busy machine
#: Sets each configuration through the DOM, then reads everything the panel displays.
SET_AND_READ = """(configs) => configs.map((config) => {
  const root = document.getElementById("family");
  for (const [field, value] of Object.entries(config)) {
    const box = root.querySelector(`[data-unknown="${field}"]`);
    if (box) box.checked = value === null;
    const control = root.querySelector(`[data-field="${field}"]`);
    if (control.type === "checkbox") control.checked = value;
    else if (value !== null) control.value = value;
  }
  window.lstmFamilyExplorer.update();
  const text = (id) => document.getElementById(id).textContent;
  const rows = [...root.querySelectorAll("#family-tensors tbody tr")];
  const cells = (name) => rows.map((r) => r.querySelector(`.family-${name}`).textContent);
  const errors = {};
  for (const slot of root.querySelectorAll("[data-error]")) {
    if (slot.textContent) errors[slot.dataset.error] = slot.textContent;
  }
  return {
    input: text("family-input-shape"), call: text("family-call"),
    unpacking: text("family-unpacking"), index: cells("index"), names: cells("name"),
    shapes: cells("shape"), meanings: cells("meaning"), parameters: text("family-parameters"),
    formula: text("family-formula"), code: text("family-keras-code"), errors,
  };
})"""

FLAGS = [
    {"return_sequences": rs, "return_state": st}
    for rs, st in itertools.product((False, True), repeat=2)
]
SPATIAL = {"ConvLSTM1D": ["9"], "ConvLSTM2D": ["8, 7", "8 8"], "ConvLSTM3D": ["4, 5, 6"]}


def conv_grid() -> list[dict]:
    """ConvLSTM configurations as typed in the panel: fitting, not fitting and malformed."""
    grid = []
    combos = itertools.product(
        SPATIAL, ("valid", "same"), ("channels_last", "channels_first"),
        [("1", "1"), ("2", "1"), ("1", "2"), ("2", "2")],
    )  # fmt: skip
    for n, (layer, padding, data_format, (strides, dilation)) in enumerate(combos):
        for spatial in SPATIAL[layer]:
            grid.append({
                "layer": layer, "filters": "3", "kernel_size": ["3", "1", "2"][n % 3],
                "spatial": spatial, "strides": strides, "dilation_rate": dilation,
                "padding": padding, "data_format": data_format,
                "timesteps": [None, "5"][n % 2], "batch": [None, "2"][n // 2 % 2],
                "features": "2", **FLAGS[n % 4],
            })  # fmt: skip
    base = {**grid[0], "layer": "ConvLSTM2D", "spatial": "8, 8", "padding": "valid"}
    grid += [
        {**base, "kernel_size": "3, 1"},  # one size per axis
        {**base, "kernel_size": "9"},  # larger than the frame with valid padding
        {**base, "kernel_size": "9", "padding": "same"},  # fits with same padding
        {**base, "kernel_size": "3", "dilation_rate": "4"},  # its span is 9
        {**base, "spatial": "8"},  # one size for a 2-D layer
        {**base, "kernel_size": "3, 3, 3"},  # three sizes for a 2-D layer
        {
            **base,
            "filters": "1000000",
            "kernel_size": "100, 100",
            "spatial": "1000, 1000",
            "features": "1000000",
            "strides": "7, 3",
        },
    ]
    return grid


def cells_grid() -> list[dict]:
    grid = []
    combos = itertools.product(("LSTM", "GRU", "SimpleRNN"), ("16, 32", "7", "3 4 5"), FLAGS)
    for n, (cell, cells, flags) in enumerate(combos):
        grid.append({
            "layer": "RNN", "cell": cell, "cells": cells, "features": ["10", "1"][n % 2],
            "timesteps": [None, "4"][n % 2], "batch": [None, "8"][n // 2 % 2], **flags,
        })  # fmt: skip
    return grid


BAD = [
    ({"layer": "RNN", "cells": "16, x"}, "cells"),
    ({"layer": "RNN", "cells": "0"}, "cells"),
    ({"layer": "RNN", "cells": "16", "features": "2.5"}, "features"),
    ({"layer": "ConvLSTM1D", "spatial": "9", "kernel_size": "3", "filters": "-1"}, "filters"),
    (
        {
            "layer": "ConvLSTM1D",
            "spatial": "9",
            "kernel_size": "3",
            "filters": "2",
            "strides": "2, 2",
        },
        "strides",
    ),
]


def sizes(text: str) -> list[int]:
    return [int(part) for part in text.replace(",", " ").split()]


def one_or_tuple(values: list[int]):
    return values[0] if len(values) == 1 else tuple(values)


def expected(config: dict):
    """The package's report for a configuration, or the argument its error names."""
    common = {
        "timesteps": None if config["timesteps"] is None else int(config["timesteps"]),
        "batch": None if config["batch"] is None else int(config["batch"]),
        "return_sequences": config["return_sequences"],
        "return_state": config["return_state"],
    }
    if config["layer"] == "RNN":
        return cells_report(
            sizes(config["cells"]), features=int(config["features"]), cell=config["cell"],
            **common,
        )  # fmt: skip
    try:
        return conv_lstm_report(
            config["layer"],
            int(config["filters"]),
            tuple(sizes(config["spatial"])),
            int(config["features"]),
            kernel_size=one_or_tuple(sizes(config["kernel_size"])),
            strides=one_or_tuple(sizes(config["strides"])),
            dilation_rate=one_or_tuple(sizes(config["dilation_rate"])),
            padding=config["padding"],
            data_format=config["data_format"],
            **common,
        )
    except ValueError as error:
        return str(error).split()[0]


@pytest.fixture(scope="module")
def panel(browser, built_site):
    """The Explore page opened once from file://; console errors and requests recorded."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    context.route("http*://**/*", lambda route: route.abort())
    page.set_default_timeout(TIMEOUT)
    page.goto((built_site / "explore.html").as_uri())
    page.wait_for_function("window.lstmFamilyExplorer !== undefined")
    yield page
    context.close()


def test_every_configuration_shows_what_the_package_says(panel):
    grid = conv_grid() + cells_grid()
    shown = panel.evaluate(SET_AND_READ, grid)
    assert panel.problems == []
    rejected = 0
    for config, page in zip(grid, shown, strict=True):
        report = expected(config)
        if isinstance(report, str):  # the package rejects it, naming an argument
            rejected += 1
            assert list(page["errors"]) == [report], (config, page["errors"])
            continue
        assert page["errors"] == {}, config
        flat = [t for item in report.returned for t in (item if isinstance(item, tuple) else
                                                        (item,))]  # fmt: skip
        assert page["input"] == format_shape(report.input_shape), config
        assert page["call"] == report.call, config
        assert page["unpacking"] == f"{unpacking(report.returned)} = layer(x)", config
        assert page["names"] == [t.name for t in flat], config
        assert page["shapes"] == [t.shape_text for t in flat], config
        assert page["meanings"] == [t.meaning for t in flat], config
        assert int(page["parameters"].replace(",", "")) == report.parameters, config
        assert len(page["index"]) == len(flat)
    assert 3 <= rejected <= len(grid) // 2  # both kinds of answer were checked


def test_a_cells_states_are_indexed_as_python_indexes_them(panel):
    config = {**cells_grid()[0], "cells": "16, 32", "cell": "LSTM", "return_state": True}
    (page,) = panel.evaluate(SET_AND_READ, [config])
    assert page["index"] == ["[0]", "[1][0]", "[1][1]", "[2][0]", "[2][1]"]
    assert page["unpacking"] == "last_hidden, [cell0_h, cell0_c], [cell1_h, cell1_c] = layer(x)"


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_input_names_its_field(panel, change, field):
    base = {**conv_grid()[0], "cell": "LSTM", "cells": "16, 32"}
    (page,) = panel.evaluate(SET_AND_READ, [{**base, **change}])
    assert list(page["errors"]) == [field], page["errors"]
    assert page["errors"][field].startswith(field), page["errors"]
    panel.evaluate(SET_AND_READ, [base])  # leave the panel valid for the next test


def test_the_data_stays_small(panel):
    size = panel.evaluate("document.getElementById('family-data').textContent.length")
    assert size == len(json.dumps(family_data(), ensure_ascii=False, separators=(",", ":")))
    assert size < 4096, size


# --- The Keras code runs, and prints what the panel shows ---------------------------------
SAMPLE = 8


def test_keras_code_runs_and_prints_the_shapes_shown(panel, run_copied_code):
    grid = conv_grid() + cells_grid()
    fitting = [
        c for c in grid if not isinstance(expected(c), str) and c.get("filters") != "1000000"
    ]
    sample = fitting[:: len(fitting) // SAMPLE][:SAMPLE]
    assert {c["layer"] for c in sample} >= {"RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"}
    shown = panel.evaluate(SET_AND_READ, sample)
    printed_texts = run_copied_code([page["code"] for page in shown])
    for printed, page in zip(printed_texts, shown, strict=True):
        lines = printed.splitlines()
        assert lines[:-1] == [
            f"{name} {shape}" for name, shape in zip(page["names"], page["shapes"], strict=True)
        ], page["code"]
        assert lines[-1] == f"parameters {page['parameters'].replace(',', '')}"


def test_the_copy_button_copies_the_code(browser, server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{server}/explore.html")
    page.wait_for_function("window.lstmFamilyExplorer !== undefined")
    page.click("#family-copy")
    page.wait_for_selector("#family-copied:has-text('Copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    code = page.evaluate("document.getElementById('family-keras-code').textContent")
    context.close()
    assert copied == code
    assert "layer = keras.layers.ConvLSTM2D(4, 3)" in code


LAYOUT = """() => {
  const root = document.getElementById("family");
  const visible = [...root.querySelectorAll(".explore-field, table, .explore-line")]
    .filter((e) => e.checkVisibility());
  const style = getComputedStyle(root.querySelector("#family-filters"));
  return {
    page: document.documentElement.scrollWidth,
    right: Math.max(...visible.map((e) => e.getBoundingClientRect().right)),
    rows: root.querySelectorAll("#family-tensors tbody tr").length,
    theme: document.documentElement.dataset.theme,
    text: style.color, background: style.backgroundColor,
    hiddenCells: !root.querySelector("#family-cells").checkVisibility(),
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1440])
def test_layout_fits_phone_and_desktop_in_both_schemes(open_in, server, width, scheme):
    page = open_in({"width": width, "height": 900}, scheme)
    page.goto(f"{server}/explore.html")
    page.wait_for_function("window.lstmFamilyExplorer !== undefined")
    widest = {**conv_grid()[0], "layer": "ConvLSTM3D", "spatial": "4, 5, 6", "kernel_size": "3",
              "return_sequences": True, "return_state": True}  # fmt: skip
    page.evaluate(SET_AND_READ, [widest])
    layout = page.evaluate(LAYOUT)
    assert layout["page"] <= width, layout  # no sideways scroll of the page
    assert layout["right"] <= width, layout
    assert layout["rows"] == 3, layout
    assert layout["hiddenCells"], layout  # the cells field belongs to RNN only
    assert layout["theme"] == scheme, layout
    assert layout["text"] != layout["background"], layout
