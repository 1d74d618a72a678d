"""The Explore page in a real browser, over file://, compared with the package.

Hypothesis draws configurations with a fixed derandomised sequence (every layer kind and
merge mode, both flags, known, unknown and large sizes, reset_after both ways); most are
set through the page's own hash API in one page load, the others through the form: control
by control as a reader's input changes them (events dispatched, many in one browser call)
or typed by keyboard alone. For each, every displayed name, shape, meaning and parameter count must be the package's.
The Keras code of a sample of configurations, copied with its button, must run and print
exactly the shapes the page shows.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from site_tools.viewports import DESKTOP, PHONE

from lstm_outputs.configs import LAYERS, MERGE_MODES
from lstm_outputs.diagrams.explorer import highlights
from lstm_outputs.explorer_data import (
    HASH_VERSION,
    PROJ_SIZE_LAYERS,
    RESET_AFTER_LAYERS,
    TORCH_STAND_INS,
    UNKNOWABLE,
)
from lstm_outputs.formulas import keras_parameter_formula
from lstm_outputs.limits import SIZE_LIMITS
from lstm_outputs.shapes import format_shape, parameter_count, returned_tensors
from lstm_outputs.topologies import Topology, keras_call
from lstm_outputs.torch_equivalents import torch_equivalent

EXAMPLES = 520
TIMEOUT = 60_000  # ms: generous, for a busy machine
#: Everything the page displays, read in one call.
READ = """() => {
  const text = (id) => document.getElementById(id).textContent;
  const rows = [...document.querySelectorAll("#explore-tensors tbody tr")];
  const cell = (row, name) => row.querySelector(`.explore-${name}`).textContent;
  const shown = [...document.querySelectorAll(".explore-diagram")].filter((d) => !d.hidden);
  return {
    input: text("explore-input-shape"),
    call: text("explore-call"),
    unpacking: text("explore-unpacking"),
    names: rows.map((r) => cell(r, "name")),
    shapes: rows.map((r) => cell(r, "shape")),
    meanings: rows.map((r) => cell(r, "meaning")),
    torch: rows.map((r) => cell(r, "torch")),
    parameters: text("explore-parameters"),
    formula: text("explore-formula"),
    formula_text: text("explore-formula-text"),
    torch_parameters: text("explore-torch-parameters"),
    torch_call: text("explore-torch-call"),
    torch_shapes: text("explore-torch-shapes"),
    torch_note: text("explore-torch-note"),
    torch_code: text("explore-torch-code"),
    diagrams: shown.map((d) => d.dataset.diagram),
    lit: [...document.querySelectorAll(".explore-diagram .is-returned")].map((e) => e.id),
    keras_code: text("explore-keras-code"),
    errors: [...document.querySelectorAll(".explore-error")].map((e) => e.textContent)
      .filter((t) => t),
    hash: location.hash,
  };
}"""
KEYS = {"units", "timesteps", "features", "batch", "proj_size"}


@pytest.fixture(scope="module")
def explorer(browser, built_site):
    """The Explore page opened once from file://, with every network request refused."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on(
        "request",
        lambda r: not r.url.startswith(("file:", "data:", "blob:")) and page.problems.append(r.url),
    )
    context.route("http*://**/*", lambda route: route.abort())
    page.set_default_timeout(TIMEOUT)
    page.goto((built_site / "explore.html").as_uri())
    page.wait_for_function("window.lstmExplorer !== undefined")
    yield page
    context.close()


def sizes(name: str):
    return st.one_of(
        st.integers(1, 64), st.integers(1, SIZE_LIMITS[name]), st.just(SIZE_LIMITS[name])
    )


configurations = st.fixed_dictionaries(
    {
        "layer": st.sampled_from(LAYERS),
        "bidirectional": st.booleans(),
        "merge_mode": st.sampled_from(MERGE_MODES),
        "return_sequences": st.booleans(),
        "return_state": st.booleans(),
        "reset_after": st.booleans(),
        "units": sizes("units"),
        "timesteps": st.none() | sizes("timesteps"),
        "features": sizes("features"),
        "batch": st.none() | sizes("batch"),
        "unbatched": st.booleans(),
        # Made smaller than units (PyTorch's rule) by proj_size_of; 0 is no projection.
        "proj_size": st.sampled_from([0, 0, 1]) | st.integers(0, SIZE_LIMITS["units"]),
    }
).map(lambda config: {**config, "proj_size": config["proj_size"] % config["units"]})


def hash_of(config: dict) -> str:
    """The page's public URL format, written here independently of its script."""
    fields = {"v": HASH_VERSION}
    for name, value in config.items():
        if name in KEYS:
            fields[name] = "None" if value is None else value
        elif isinstance(value, bool):
            fields[name] = int(value)
        else:
            fields[name] = str(value)
    return "#" + urlencode(fields)


def topology_of(config: dict) -> Topology:
    return Topology(
        config["layer"],
        config["bidirectional"],
        config["merge_mode"],
        config["return_sequences"],
        config["return_state"],
    )


def control_steps(config: dict) -> list[tuple[str, str, object]]:
    """What a reader does to the form to set ``config``, in order: ``("select", id, value)``,
    ``("check", id, wanted)`` or ``("type", id, text)``."""
    steps = [("select", "#explore-layer", config["layer"])]
    steps.append(("check", "#explore-bidirectional", config["bidirectional"]))
    if config["bidirectional"]:
        steps.append(("select", "#explore-merge_mode", str(config["merge_mode"])))
    steps.append(("check", "#explore-return_sequences", config["return_sequences"]))
    steps.append(("check", "#explore-return_state", config["return_state"]))
    if config["layer"] in RESET_AFTER_LAYERS:
        steps.append(("check", "#explore-reset_after", config["reset_after"]))
    steps.append(("check", "#explore-unbatched", config["unbatched"]))
    names = ["units", "timesteps", "features", "batch"]
    if config["layer"] in PROJ_SIZE_LAYERS:
        names.append("proj_size")
    for name in names:
        value = config[name]
        if name in UNKNOWABLE:
            steps.append(("check", f"#explore-{name}-unknown", value is None))
        if value is not None:
            steps.append(("type", f"#explore-{name}", str(value)))
    return steps


#: Each control's state (checked, or value and options), read in one call.
FORM_STATE = """selectors => selectors.map(selector => {
  const control = document.querySelector(selector);
  if (control.type === "checkbox") return control.checked;
  if (control.tagName === "SELECT") return [control.value, [...control.options].map(o => o.value)];
  return control.value;
})"""


def set_by_keyboard(page, config: dict) -> None:
    """Set every control with the keyboard alone: focus, arrow keys, type, Space.

    The form is read once before (a control is only pressed where it must change) and once
    after: every control must then hold what was typed or chosen.
    """
    steps = control_steps(config)
    before = page.evaluate(FORM_STATE, [selector for _, selector, _ in steps])
    for (kind, selector, value), state in zip(steps, before, strict=True):
        if kind == "check":
            if state != value:
                page.focus(selector)
                page.keyboard.press("Space")
        elif kind == "select":
            # Arrow keys step through the options of a focused select.
            now, options = state
            moves = options.index(value) - options.index(now)
            page.focus(selector)
            for _ in range(abs(moves)):
                page.keyboard.press("ArrowDown" if moves > 0 else "ArrowUp")
        else:
            page.focus(selector)
            page.keyboard.press("Control+A")
            page.keyboard.type(value)
    after = page.evaluate(FORM_STATE, [selector for _, selector, _ in steps])
    for (kind, selector, value), state in zip(steps, after, strict=True):
        assert (state[0] if kind == "select" else state) == value, (selector, state, value)


#: Sets the form as a reader's input does, control by control, each change dispatching the
#: events a browser fires (a checkbox clicked; a select or text field changed, then
#: ``input`` and ``change``; a control that already holds its value is left alone), and
#: reads the page after each configuration.
SET_CONTROLS_AND_READ = f"""runs => runs.map(steps => {{
  for (const [kind, selector, value] of steps) {{
    const control = document.querySelector(selector);
    if (kind === "check") {{
      if (control.checked !== value) control.click();
      if (control.checked !== value) return null;
      continue;
    }}
    if (control.value === value) continue;  // a reader leaves a right control alone
    control.focus();
    control.value = value;
    if (control.value !== value) return null;
    for (const type of ["input", "change"]) {{
      control.dispatchEvent(new Event(type, {{bubbles: true}}));
    }}
  }}
  return ({READ})();
}})"""


def expected(config: dict) -> dict:
    """What the package says the page must show for ``config``."""
    topology = topology_of(config)
    reset_after = config["reset_after"] if config["layer"] in RESET_AFTER_LAYERS else True
    tensors = returned_tensors(
        config["units"],
        config["timesteps"],
        return_sequences=topology.return_sequences,
        return_state=topology.return_state,
        batch=config["batch"],
        layer=topology.layer,
        bidirectional=topology.bidirectional,
        merge_mode=topology.merge_mode,
    )
    count = parameter_count(
        config["units"],
        config["features"],
        layer=topology.layer,
        bidirectional=topology.bidirectional,
        reset_after=reset_after,
    )
    projected = config["layer"] in PROJ_SIZE_LAYERS and config["proj_size"] > 0
    torch = torch_equivalent(
        topology, reset_after=reset_after, projected=projected, unbatched=config["unbatched"]
    )
    torch_sizes = {
        "units": config["units"],
        "timesteps": config["timesteps"] or TORCH_STAND_INS["timesteps"],
        "batch": config["batch"] or TORCH_STAND_INS["batch"],
    }
    widths = {"P": config["proj_size"], "2P": 2 * config["proj_size"]}
    torch_shapes = ", ".join(
        f"{name} {format_shape(fill_shape_with(template, torch_sizes, widths))}"
        for name, template in torch.returns
    )
    if projected:
        torch_count = torch.formula.count(config["units"], config["features"], config["proj_size"])
    else:
        torch_count = torch.formula.count(config["units"], config["features"])
    formula = keras_parameter_formula(
        topology.layer, bidirectional=topology.bidirectional, reset_after=reset_after
    )
    call = keras_call(topology, config["units"])
    if not reset_after:
        call = call.replace(")", ", reset_after=False)", 1)
    return {
        "input": format_shape((config["batch"], config["timesteps"], config["features"])),
        "call": call,
        "names": [t.name for t in tensors],
        "shapes": [t.shape_text for t in tensors],
        "meanings": [t.meaning for t in tensors],
        "torch": [e if e is not None else "none" for _, e in torch.expressions],
        "parameters": count,
        "formula_text": formula.text,
        "torch_parameters": torch_count,
        "torch_shapes": torch_shapes,
        "torch_call": torch.call.format(
            features=config["features"], units=config["units"], proj_size=config["proj_size"]
        ),
        "torch_note": "" if torch.note is None else f"No equivalent: {torch.note}.",
        "unbatched": config["unbatched"],
        "lit": sorted(i for ids in highlights(topology).values() for i in ids),
    }


def check(shown: dict, config: dict) -> None:
    want = expected(config)
    assert shown["errors"] == []
    for key in ("input", "call", "names", "shapes", "meanings", "torch"):
        assert shown[key] == want[key], key
    assert int(shown["parameters"].replace(",", "")) == want["parameters"]
    # The filled formula is arithmetic giving the count (Python evaluates it here).
    assert eval(shown["formula"].replace("·", "*"), {"__builtins__": {}}) == want["parameters"]
    assert shown["formula_text"] == want["formula_text"]
    assert int(shown["torch_parameters"].replace(",", "")) == want["torch_parameters"]
    for key in ("torch_call", "torch_shapes", "torch_note"):
        assert shown[key] == want[key], key
    x_line = next(line for line in shown["torch_code"].splitlines() if line.startswith("x = "))
    assert x_line.count(",") == (1 if want["unbatched"] else 2), x_line
    assert len(shown["diagrams"]) == 1
    assert sorted(set(shown["lit"])) == sorted(set(want["lit"]))
    assert shown["unpacking"] == f"{', '.join(want['names'])} = layer(x)"
    fields = dict(parse_qsl(shown["hash"][1:]))
    assert fields["v"] == str(HASH_VERSION)
    for name in KEYS:
        if name == "proj_size" and config["layer"] not in PROJ_SIZE_LAYERS:
            continue  # disabled: the field keeps whatever it held
        assert fields[name] == ("None" if config[name] is None else str(config[name]))


def fill_shape_with(template, sizes: dict, widths: dict) -> tuple:
    """A PyTorch shape template filled in: the sizes, ``U``/``2U``, ``P``/``2P``, numbers."""
    symbols = {"batch": sizes["batch"], "T": sizes["timesteps"], "U": sizes["units"],
               "2U": 2 * sizes["units"], **widths}  # fmt: skip
    return tuple(axis if isinstance(axis, int) else symbols[axis] for axis in template)


#: Applies hashes one after another, reading the page after each: many in one browser call.
APPLY_AND_READ = f"hashes => hashes.map(h => [window.lstmExplorer.apply(h), ({READ})()])"


@pytest.fixture(scope="module")
def drawn() -> list[tuple[dict, str]]:
    """The configurations to compare, in the order Hypothesis draws them, and for each how
    it is set: ``"hash"``, ``"controls"`` or ``"keyboard"``.

    Of the draws set through the form (about a third), every :data:`KEYBOARD_EVERY`-th is
    typed by keyboard alone, key by key; the others change each control as a reader's input
    does, many in one browser call.
    """
    configs = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(config=configurations, by_form=st.integers(0, 9).map(lambda n: n == 0))
    def draw(config, by_form):
        configs.append((config, by_form))

    draw()
    ways, forms = [], 0
    for config, by_form in configs:
        if by_form:
            ways.append((config, "keyboard" if forms % KEYBOARD_EVERY == 0 else "controls"))
            forms += 1
        else:
            ways.append((config, "hash"))
    return ways


#: One in this many of the configurations set through the form is typed by keyboard (each
#: key a browser round trip: 2 s a configuration on a busy machine).
KEYBOARD_EVERY = 15


def test_explorer_shows_what_the_package_says(explorer, drawn):
    """Each drawn configuration, in order: applied through the hash API, set control by
    control (runs of those in one browser call each), or typed by keyboard; then read and
    compared with the package."""
    shown = []
    pending: list[tuple[dict, str]] = []

    def apply_pending() -> None:
        hashes = [hash_of(c) for c, way in pending if way == "hash"]
        runs = [control_steps(c) for c, way in pending if way == "controls"]
        by_hash = iter(explorer.evaluate(APPLY_AND_READ, hashes))
        by_controls = iter(explorer.evaluate(SET_CONTROLS_AND_READ, runs))
        for config, way in pending:
            if way == "hash":
                applied, page_shows = next(by_hash)
                assert applied, config
            else:
                page_shows = next(by_controls)
                assert page_shows is not None, f"{config}: a control refused its value"
            shown.append((config, page_shows, way))
        pending.clear()

    for config, way in drawn:
        if way == "keyboard":
            apply_pending()
            set_by_keyboard(explorer, config)
            shown.append((config, explorer.evaluate(READ), way))
        else:
            pending.append((config, way))
    apply_pending()
    compared = []
    for config, page_shows, way in shown:
        try:
            check(page_shows, config)
        except AssertionError as error:
            raise AssertionError(f"{config} (set by {way}): {error}") from error
        compared.append(way)
    ways = {way: compared.count(way) for way in ("hash", "controls", "keyboard")}
    print(f"explorer: {len(compared)} configurations compared, set by {ways}")
    assert len(compared) >= 500, len(compared)
    assert ways["keyboard"] >= 10, "too few set by keyboard"
    assert ways["controls"] >= 140, "too few set control by control"
    assert not explorer.problems, explorer.problems


# --- Bad input: a message naming the field, the last valid answer kept ---------------------
BAD = [
    ("units", "0"),
    ("units", "-3"),
    ("units", "2.5"),
    ("units", ""),
    ("units", "sixteen"),
    ("units", str(SIZE_LIMITS["units"] + 1)),
    ("features", "0"),
    ("features", str(SIZE_LIMITS["features"] + 1)),
    ("timesteps", "-1"),
    ("batch", str(SIZE_LIMITS["batch"] + 1)),
    ("proj_size", "-1"),
    ("proj_size", "16"),  # not below units
    ("proj_size", "1.5"),
]


@pytest.mark.parametrize(("field", "text"), BAD, ids=[f"{f}={t!r}" for f, t in BAD])
def test_bad_size_names_the_field_and_keeps_the_last_answer(explorer, field, text):
    good = {"layer": "LSTM", "bidirectional": False, "merge_mode": "concat",
            "return_sequences": True, "return_state": True, "reset_after": True,
            "units": 16, "timesteps": 4, "features": 10, "batch": 2,
            "unbatched": False, "proj_size": 0}  # fmt: skip
    assert explorer.evaluate("h => window.lstmExplorer.apply(h)", hash_of(good))
    before = explorer.evaluate(READ)
    # The whole text at once: typed key by key, "2.5" is first a valid "2".
    explorer.fill(f"#explore-{field}", text)
    after = explorer.evaluate(READ)
    (message,) = after["errors"]
    assert message.startswith(f"{field} "), message
    assert (text or "empty") in message
    assert explorer.get_attribute(f"#explore-{field}", "aria-invalid") == "true"
    for key in ("names", "shapes", "parameters", "keras_code"):
        assert after[key] == before[key], key
    # The rest still works: a flag changed while the size is wrong changes nothing shown,
    # and a good size brings the answer back.
    explorer.focus(f"#explore-{field}")
    explorer.keyboard.press("Control+A")
    explorer.keyboard.type(str(good[field]))
    assert explorer.evaluate(READ)["errors"] == []
    check(explorer.evaluate(READ), good)
    assert not explorer.problems, explorer.problems


def test_a_link_reproduces_the_configuration(explorer, browser, built_site):
    config = {"layer": "GRU", "bidirectional": True, "merge_mode": "None",
              "return_sequences": True, "return_state": True, "reset_after": False,
              "units": 7, "timesteps": None, "features": 3, "batch": 5,
              "unbatched": True, "proj_size": 0}  # fmt: skip
    length = explorer.evaluate("history.length")
    set_by_keyboard(explorer, {**config, "merge_mode": None})
    shown = explorer.evaluate(READ)
    assert explorer.evaluate("history.length") == length, "the hash is replaced, not pushed"
    assert shown["hash"].startswith(f"#v={HASH_VERSION}&")
    context = browser.new_context()
    page = context.new_page()
    page.goto((built_site / "explore.html").as_uri() + shown["hash"])
    page.wait_for_function("window.lstmExplorer !== undefined")
    again = page.evaluate(READ)
    context.close()
    assert again == shown
    check(again, {**config, "merge_mode": None})


def test_keyboard_focus_is_visible(explorer):
    explorer.focus("#explore-layer")
    explorer.keyboard.press("Tab")
    focused = explorer.evaluate("document.activeElement.id")
    assert focused == "explore-bidirectional"
    style = explorer.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert style not in ("", "none"), style


def test_phone_width_has_no_sideways_scroll(browser, built_site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto((built_site / "explore.html").as_uri())
    page.wait_for_function("window.lstmExplorer !== undefined")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390, width


SCROLL_HINT = """() => {
  const table = document.getElementById("explore-tensors");
  const hint = document.getElementById("explore-tensors-hint");
  return {overflow: table.scrollWidth - table.clientWidth,
          visible: hint.checkVisibility(), text: hint.textContent};
}"""


@pytest.mark.parametrize(("width", "shown"), [(390, True), (1440, False)])
def test_the_tensor_table_says_it_scrolls_sideways_only_when_it_does(
    browser, built_site, width, shown
):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto((built_site / "explore.html").as_uri())
    page.wait_for_function("window.lstmExplorer !== undefined")
    hint = page.evaluate(SCROLL_HINT)
    context.close()
    assert (hint["overflow"] > 0) is shown, hint
    assert hint["visible"] is shown, hint
    assert "scroll it sideways" in hint["text"]


# --- Copied Keras code runs and prints the shapes the page shows -------------------------
SAMPLE = 12


def test_copied_keras_code_runs_and_prints_the_shapes_shown(
    browser, server, drawn, run_copied_code
):
    # SAMPLE of the configurations drawn above, spread over them (with max_examples=1 a
    # list drawn by Hypothesis was its simplest example: one configuration, SAMPLE times).
    sample = [config for config, _ in drawn[:: len(drawn) // SAMPLE][:SAMPLE]]
    assert len({json.dumps(config, sort_keys=True) for config in sample}) == SAMPLE
    assert len({config["layer"] for config in sample}) > 1
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{server}/explore.html")
    page.wait_for_function("window.lstmExplorer !== undefined")
    copied, shown = [], []
    for config in sample:
        # Small sizes: the code builds real weights.
        config = {
            **config,
            "units": config["units"] % 9 + 1,
            "features": config["features"] % 7 + 1,
        }
        assert page.evaluate("h => window.lstmExplorer.apply(h)", hash_of(config))
        page.click("button[data-copy='explore-keras-code']")
        page.wait_for_selector("[data-copied='explore-keras-code']:has-text('Copied')")
        copied.append(page.evaluate("navigator.clipboard.readText()"))
        shown.append(page.evaluate(READ))
    context.close()
    printed_texts = run_copied_code(copied)
    for printed, page_shows in zip(printed_texts, shown, strict=True):
        lines = printed.splitlines()
        assert lines[:-1] == [
            f"{name} {shape}"
            for name, shape in zip(page_shows["names"], page_shows["shapes"], strict=True)
        ]
        assert lines[-1] == f"parameters {page_shows['parameters'].replace(',', '')}"
