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
