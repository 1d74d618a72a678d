"""The diagrams highlight exactly the tensors each configuration returns (read from artists)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.text import Text

from lstm_outputs import CONFIGS, OutputConfig, diagrams, returned_tensors

EXPECTED = {
    # config name: (highlighted symbols in drawing order, tensor labels in Keras's order)
    "default": (["h_T"], ["last_hidden (batch, units)"]),
    "return_sequences": (["h_1", "h_2", "h_T"], ["sequence (batch, T, units)"]),
    "return_state": (
        ["h_T", "c_T", "h_T"],
        [
            "[0] last_hidden (batch, units)",
            "[1] state_h (batch, units)",
            "[2] state_c (batch, units)",
        ],
    ),
    "both": (
        ["h_1", "h_2", "h_T", "c_T", "h_T"],
        [
            "[0] sequence (batch, T, units)",
            "[1] state_h (batch, units)",
            "[2] state_c (batch, units)",
        ],
    ),
}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_unrolled_highlights_exactly_the_returned_tensors(config):
    figure = diagrams.unrolled(config)
    symbols, labels = EXPECTED[config.name]
    assert diagrams.highlighted(figure) == symbols
    assert diagrams.tensor_labels(figure) == labels


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_labels_name_the_package_tensors_in_keras_order(config):
    names = [t.name for t in returned_tensors(16, 4, **_flags(config))]
    labels = diagrams.tensor_labels(diagrams.unrolled(config))
    assert [label.removeprefix(f"[{i}] ").split()[0] for i, label in enumerate(labels)] == names


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_final_states_are_filled_only_with_return_state(config):
    figure = diagrams.unrolled(config)
    texts = [t for t in figure.findobj(Text) if t.get_text() in ("$c_T$",)]
    assert len(texts) == 1
    assert (texts[0].get_gid() == diagrams.RETURNED_GID) is config.return_state


def test_returned_labels_match_the_configurations():
    assert [diagrams.returned_labels(c) for c in CONFIGS] == [
        ("h_T",),
        ("h_1 … h_T",),
        ("h_T", "h_T", "c_T"),
        ("h_1 … h_T", "h_T", "c_T"),
    ]


def test_palette_is_okabe_ito():
    assert diagrams.HIDDEN in diagrams.OKABE_ITO.values()
    assert diagrams.CELL in diagrams.OKABE_ITO.values()
    assert len(set(diagrams.OKABE_ITO.values())) == 8


def test_figures_fit_the_page_width_and_render_to_svg(tmp_path):
    for figure in (diagrams.unrolled(OutputConfig(True, True)), diagrams.cell()):
        assert figure.get_size_inches()[0] == pytest.approx(7.5)
        figure.savefig(tmp_path / "figure.svg")
        assert (tmp_path / "figure.svg").read_text().lstrip().startswith("<?xml")


def test_cell_shows_the_four_gates_in_keras_order():
    gids = [t.get_gid() for t in diagrams.cell().findobj(Text)]
    assert [g for g in gids if str(g).startswith("gate:")] == [
        "gate:f",
        "gate:i",
        "gate:c",
        "gate:o",
    ]


def test_heatmap_shows_one_sample_symmetric_scale():
    sequence = np.linspace(-0.5, 0.25, 2 * 3 * 5).reshape(2, 3, 5)
    image = diagrams.hidden_heatmap(sequence, sample=1, title="h").axes[0].images[0]
    np.testing.assert_array_equal(image.get_array(), sequence[1])
    low, high = image.get_clim()
    assert low == pytest.approx(-high)
    assert high == pytest.approx(np.abs(sequence[1]).max())


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="config must be an OutputConfig"):
        diagrams.unrolled("default")
    with pytest.raises(ValueError, match=r"sequence must have shape \(batch, timesteps, units\)"):
        diagrams.hidden_heatmap(np.zeros((4, 16)))


def _flags(config):
    return {"return_sequences": config.return_sequences, "return_state": config.return_state}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_four_configurations_fill_what_each_returns(dark):
    figure = diagrams.four_configurations(dark=dark)
    assert [ax.get_gid() for ax in figure.axes] == [c.name for c in CONFIGS]
    for ax, config in zip(figure.axes, CONFIGS, strict=True):
        filled = set(diagrams.highlighted(ax))
        # h_T is always returned; every h_t only with return_sequences; c_T only with
        # return_state, which also fills the final h_T (so h_T appears twice then).
        expected = {"h_T"}
        if config.return_sequences:
            expected.add("h_1")
        if config.return_state:
            expected.add("c_T")
        assert filled == expected
        assert diagrams.highlighted(ax).count("h_T") == 1 + config.return_state
        (returns,) = [t.get_text() for t in ax.findobj(Text) if t.get_gid() == diagrams.TENSOR_GID]
        assert returns == "returns " + diagrams.returns_text(config)


def test_four_configurations_are_transparent_and_render_to_svg(tmp_path):
    figure = diagrams.four_configurations(dark=True)
    assert figure.patch.get_alpha() == 0
    figure.savefig(tmp_path / "four.svg")
    assert (tmp_path / "four.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(TypeError, match="dark must be True or False"):
        diagrams.four_configurations(dark="yes")


# --- One visual language: every figure, light and dark ----------------------------------

RNG = np.random.default_rng(0)
SEQUENCE = RNG.uniform(-1, 1, size=(3, 6, 4))
#: Every figure the site shows, by the function that draws it (with page-like data).
FIGURES = {
    "unrolled": lambda dark: diagrams.unrolled(OutputConfig(True, True), dark=dark),
    "four_configurations": lambda dark: diagrams.four_configurations(dark=dark),
    "cell": lambda dark: diagrams.cell(dark=dark),
    "conv_lstm": lambda dark: diagrams.conv_lstm(dark=dark),
    "hidden_heatmap": lambda dark: diagrams.hidden_heatmap(SEQUENCE, title="h", dark=dark),
    "bidirectional": lambda dark: diagrams.bidirectional(dark=dark),
    "encoder_decoder": lambda dark: diagrams.encoder_decoder(dark=dark),
    "stack": lambda dark: diagrams.stack(dark=dark),
    "cudnn_kernel_choice": lambda dark: diagrams.cudnn_kernel_choice(dark=dark),
    "training_curves": lambda dark: diagrams.training_curves(
        [("a", [1, 2, 3], [0.1, 0.5, 0.9]), ("b", [2], [0.4])],
        ylabel="accuracy",
        chance=0.1,
        dark=dark,
    ),
    "parameter_bars": lambda dark: diagrams.parameter_bars(
        {"LSTM": 1728, "GRU\nreset_after=False": 1296}, dark=dark
    ),
    "masked_states": lambda dark: diagrams.masked_states(SEQUENCE, -SEQUENCE, [2, 6, 3], dark=dark),
    "stateful_states": lambda dark: diagrams.stateful_states(
        SEQUENCE, SEQUENCE, SEQUENCE[:, 3:], 3, dark=dark
    ),
}
SCHEMES = pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])


def test_every_drawing_function_is_checked():
    """Every public function that draws for a colour scheme (a keyword-only ``dark``) is here."""
    import inspect

    drawing = {
        name
        for name in diagrams.__all__
        if callable(function := getattr(diagrams, name))
        and inspect.isfunction(function)
        and getattr(inspect.signature(function).parameters.get("dark"), "kind", None)
        is inspect.Parameter.KEYWORD_ONLY
    }
    assert drawing == set(FIGURES)


@SCHEMES
@pytest.mark.parametrize("name", FIGURES)
def test_text_is_at_least_12_px_where_the_site_shows_it(name, dark):
    figure = FIGURES[name](dark)
    sizes = diagrams.text_sizes_px(figure)
    assert sizes, "no text found: the check would pass on anything"
    small = {text: round(px, 1) for text, px in sizes.items() if px < diagrams.MIN_TEXT_PX}
    assert not small, f"{name}: text below {diagrams.MIN_TEXT_PX} px at 1440 px: {small}"


@SCHEMES
@pytest.mark.parametrize("name", FIGURES)
def test_every_colour_comes_from_the_palette(name, dark):
    svg = diagrams.svg_text(FIGURES[name](dark))
    colours = diagrams.svg_colours(svg)
    assert colours, "no colour found: the check would pass on anything"
    assert colours <= diagrams.PALETTE, colours - diagrams.PALETTE


@pytest.mark.parametrize("name", FIGURES)
def test_figures_are_transparent_and_no_wider_than_the_column(name):
    figure = FIGURES[name](False)
    assert figure.patch.get_alpha() == 0
    assert figure.get_figwidth() * 96 <= diagrams.CONTENT_WIDTH_PX


def test_sizing_reads_font_size_times_displayed_scale():
    from matplotlib.figure import Figure

    wide = Figure(figsize=(2 * diagrams.CONTENT_WIDTH_PX / 96, 2))
    wide.text(0.5, 0.5, "halved", fontsize=12)
    assert diagrams.text_sizes_px(wide) == {"halved": pytest.approx(8.0)}


def test_the_palette_keeps_its_meanings():
    assert diagrams.HIDDEN == diagrams.OKABE_ITO["blue"] == "#0072B2"
    assert diagrams.CELL == diagrams.OKABE_ITO["orange"] == "#E69F00"
    assert diagrams.ERROR == diagrams.OKABE_ITO["vermillion"] == "#D55E00"
    for dark in (False, True):
        ink = diagrams.ink(dark)
        assert ink.hidden in (diagrams.HIDDEN, diagrams.OKABE_ITO["sky_blue"])
        assert (ink.cell, ink.error, ink.muted) == (diagrams.CELL, diagrams.ERROR, diagrams.MUTED)
        # Series of other data never borrow a colour that means something.
        assert not set(ink.series) & {ink.hidden, ink.cell, ink.error, ink.muted}


def _boxes(figure):
    """Each boxed symbol's text and its box's face and edge colours, as hex."""
    from matplotlib.colors import to_hex

    found = {}
    for text in figure.findobj(Text):
        patch = text.get_bbox_patch()
        if patch is not None:
            face = "none" if patch.get_facecolor()[3] == 0 else to_hex(patch.get_facecolor())
            found.setdefault(text.get_text(), []).append(
                (face.upper(), to_hex(patch.get_edgecolor()).upper())
            )
    return found


@SCHEMES
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.name)
def test_unrolled_colours_mean_h_c_and_not_returned(config, dark):
    ink = diagrams.ink(dark)
    figure = diagrams.unrolled(config, dark=dark)
    boxes = _boxes(figure)
    for text, styles in boxes.items():
        for face, edge in styles:
            if face == ink.paper.upper():  # not returned: outlined grey
                assert edge == ink.muted.upper(), text
            elif text.startswith("$h"):
                assert face == ink.hidden.upper(), text
            else:
                assert text == "$c_T$"
                assert face == ink.cell.upper(), text
    assert (boxes["$c_T$"][0][0] == ink.cell.upper()) is config.return_state


@SCHEMES
def test_bidirectional_output_rows_take_both_directions(dark):
    ink = diagrams.ink(dark)
    figure = diagrams.bidirectional(dark=dark)
    texts = [t.get_text() for t in figure.findobj(Text)]
    assert texts.count("→ h") == texts.count("← h") == 4
    boxes = _boxes(figure)
    for name, colour in (("forward_h", ink.hidden), ("backward_h", ink.hidden),
                         ("forward_c", ink.cell), ("backward_c", ink.cell)):  # fmt: skip
        assert boxes[name] == [(colour.upper(), colour.upper())], name


@SCHEMES
def test_errors_are_vermillion_and_only_errors(dark):
    from matplotlib.colors import to_hex

    for figure in (diagrams.stack(dark=dark), diagrams.cudnn_kernel_choice(dark=dark)):
        for text in figure.findobj(Text):
            colour = to_hex(text.get_color()).upper()
            if "Error" in text.get_text():
                assert colour == diagrams.ERROR, text
            elif colour == diagrams.ERROR:
                assert "2-D" in text.get_text() or "ndim" in text.get_text(), text


def test_legends_name_the_colours_that_carry_meaning():
    for draw in (
        diagrams.unrolled,
        diagrams.cell,
        diagrams.bidirectional,
        diagrams.encoder_decoder,
    ):
        figure = draw(OutputConfig(True, True)) if draw is diagrams.unrolled else draw()
        (legend,) = [ax.get_legend() for ax in figure.axes if ax.get_legend()]
        labels = [t.get_text() for t in legend.get_texts()]
        assert "hidden state h" in labels
        assert "cell state c" in labels


def test_glue_figure_glues_a_light_and_a_dark_svg(monkeypatch):
    import myst_nb

    glued = {}
    monkeypatch.setattr(myst_nb, "glue", lambda name, obj, display: glued.__setitem__(name, obj))
    diagrams.glue_figure("cell", diagrams.cell)
    assert sorted(glued) == ["cell", "cell" + diagrams.DARK_SUFFIX]
    light, dark = (glued[k].data for k in sorted(glued))
    assert diagrams.ink(False).hidden.lower() in light
    assert diagrams.ink(True).hidden.lower() in dark
