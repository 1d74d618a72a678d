"""The explorer's data against the layers Keras really builds, and its script against rules.

Every configuration the Explore page offers (layer × wrapper × flags × reset_after) is
built by Keras on a symbolic ``keras.Input``; the shapes, the number of returned tensors
and the parameter count must be what the page's templates give. The page's script must
hold no layer or state names and no formula: those come from the data only.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_outputs.configs import LAYERS, MEANINGS
from lstm_outputs.diagrams.explorer import explorer_svg
from lstm_outputs.explorer_data import (
    RESET_AFTER_LAYERS,
    configuration_key,
    configurations,
    explorer_data,
)
from lstm_outputs.formulas import ParameterFormula
from lstm_outputs.models import build_model
from lstm_outputs.topologies import TOPOLOGIES, fill_shape

SCRIPT = Path(__file__).parents[2] / "docs" / "_static" / "explore.js"
CONFIGURATIONS = [
    (topology, reset_after)
    for topology in TOPOLOGIES
    for reset_after in ((True, False) if topology.layer in RESET_AFTER_LAYERS else (True,))
]
ENTRIES = configurations()


def _formula(entry: dict) -> ParameterFormula:
    return ParameterFormula(entry["text"], tuple(entry["coefficients"]))


@pytest.mark.parametrize(
    ("topology", "reset_after"),
    CONFIGURATIONS,
    ids=[configuration_key(t, r) for t, r in CONFIGURATIONS],
)
@settings(max_examples=3)
@given(
    units=st.integers(1, 12),
    timesteps=st.none() | st.integers(1, 9),
    features=st.integers(1, 12),
    batch=st.none() | st.integers(1, 9),
)
def test_every_offered_configuration_matches_keras(
    topology, reset_after, units, timesteps, features, batch
):
    entry = ENTRIES[configuration_key(topology, reset_after)]
    options = dict(
        layer=topology.layer,
        bidirectional=topology.bidirectional,
        merge_mode=topology.merge_mode,
        return_sequences=topology.return_sequences,
        return_state=topology.return_state,
    )
    if topology.layer in RESET_AFTER_LAYERS:
        options["reset_after"] = reset_after
    model = build_model(units, timesteps, features, batch=batch, **options)
    keras_shapes = [tuple(t.shape) for t in model.outputs]
    sizes = dict(units=units, timesteps=timesteps, features=features, batch=batch)
    assert [fill_shape(t["shape"], **sizes) for t in entry["tensors"]] == keras_shapes
    assert tuple(model.inputs[0].shape) == fill_shape(explorer_data()["input"], **sizes)
    assert model.count_params() == _formula(entry["keras_formula"]).count(units, features)


def test_every_configuration_is_offered_once():
    assert len(ENTRIES) == len(CONFIGURATIONS) == 96


def test_every_highlighted_id_is_in_its_diagram():
    svgs = {}  # each diagram drawn once, not once per configuration that shows it
    for topology, reset_after in CONFIGURATIONS:
        entry = ENTRIES[configuration_key(topology, reset_after)]
        if entry["diagram"] not in svgs:
            svgs[entry["diagram"]] = explorer_svg(
                topology.layer, bidirectional=topology.bidirectional
            )
        svg = svgs[entry["diagram"]]
        ids = [i for t in entry["tensors"] for i in t["highlight"]]
        assert ids, entry["call"]
        for ident in ids:
            assert svg.count(f'id="{ident}"') == 1, ident


def test_highlights_differ_where_the_tensors_do():
    lstm = ENTRIES["LSTM:plain:1:1"]["tensors"]
    assert [len(t["highlight"]) for t in lstm] == [3, 1, 1]  # h_1, h_2, h_T; h_T; c_T
    assert lstm[2]["highlight"][0].endswith("final-c--cell")


def test_script_holds_no_layer_state_or_formula():
    script = SCRIPT.read_text()
    tensor_names = [name for name in MEANINGS if "_" in name or name == "sequence"]
    torch_names = ["h_n", "c_n", "output[", "nn.", "torch.cat", "hidden_size"]
    for word in [*LAYERS, *tensor_names, *torch_names, "Bidirectional", "reset_gate"]:
        assert word not in script, word
    # No formula: no product or sum over U and F, no gate counts next to them.
    assert not re.search(r"\d\s*[·*]\s*\(", script)
    assert "F+U" not in script
    assert "U·" not in script
    assert "·" not in script
    # Nothing loaded: the data is in the page, so the page works from file://.
    assert "fetch(" not in script
    assert "XMLHttpRequest" not in script


def test_the_key_the_script_builds_is_the_packages():
    data = explorer_data()
    for topology, reset_after in CONFIGURATIONS:
        values = {
            "layer": topology.layer,
            "wrapper": topology.wrapper,
            "return_sequences": int(topology.return_sequences),
            "return_state": int(topology.return_state),
            "reset_after": int(reset_after),
        }
        has_reset = topology.layer in RESET_AFTER_LAYERS
        fields = data["key_fields_reset_after" if has_reset else "key_fields"]
        key = ":".join(str(values[f]) for f in fields)
        assert key == configuration_key(topology, reset_after)
        assert key in data["configurations"]


# --- The PyTorch panel: proj_size and unbatched input ------------------------------------


def _projected_state_shapes(features, units, proj, directions):
    """The shapes of an ``nn.LSTM(F, U, proj_size=P)``'s parameters, as PyTorch documents."""
    one = [(4 * units, features), (4 * units, proj), (4 * units,), (4 * units,), (proj, units)]
    return one * directions


@pytest.mark.parametrize(
    ("topology", "reset_after"),
    CONFIGURATIONS,
    ids=[configuration_key(t, r) for t, r in CONFIGURATIONS],
)
def test_every_torch_variant_is_offered_and_consistent(topology, reset_after):
    data = explorer_data()
    entry = ENTRIES[configuration_key(topology, reset_after)]
    projectable = data["layers"][LAYERS.index(topology.layer)]["proj_size"]
    assert projectable == (topology.layer == "LSTM")
    wanted = {f"{p}:{u}" for p in ((0, 1) if projectable else (0,)) for u in (0, 1)}
    assert set(entry["torch"]) == wanted
    plain = entry["torch"]["0:0"]
    assert plain["expressions"] == [t["torch"] for t in entry["tensors"]]
    assert entry["torch"]["0:1"]["expressions"] == plain["expressions"]
    directions = 2 if topology.bidirectional else 1
    for key, variant in entry["torch"].items():
        projected, unbatched = (bool(int(flag)) for flag in key.split(":"))
        assert len(variant["expressions"]) == len(entry["tensors"])
        for returned in variant["returns"]:
            assert ("batch" in returned["shape"]) != unbatched, returned
        assert ("torch.zeros({torch_batch}, " in variant["code"]) != unbatched
        if projected:
            assert variant["expressions"] == [None] * len(entry["tensors"])
            assert "proj_size={proj_size}" in variant["call"]
            assert "Keras" in variant["note"]
            shapes = {r["name"]: r["shape"] for r in variant["returns"]}
            width = "2P" if topology.bidirectional else "P"
            assert shapes["output"][-1] == width
            assert shapes["h_n"][-1] == "P"
            assert shapes["c_n"][-1] == "U"
            # The formula counts the parameters PyTorch documents, for a few sizes.
            terms = variant["formula"]["terms"]
            for units, features, proj in [(5, 3, 2), (16, 10, 4), (2, 1, 1)]:
                sizes = {"units": units, "features": features, "proj_size": proj}
                counted = sum(k * np.prod([sizes[n] for n in names]) for k, names in terms)
                documented = _projected_state_shapes(features, units, proj, directions)
                assert counted == sum(int(np.prod(s)) for s in documented)
        else:
            assert variant["formula"]["terms"][0] == [
                variant["formula"]["coefficients"][0],
                ["units", "units"],
            ]


def test_proj_size_limits_and_rules_are_in_the_data():
    data = explorer_data()
    assert data["minimums"] == {"proj_size": 0}
    assert data["below"] == {"proj_size": "units"}
    assert data["limits"]["proj_size"] == data["limits"]["units"] - 1
    assert {"proj_size", "unbatched"} <= set(data["hash_fields"])
    assert data["torch_key_fields"] == ["proj_size", "unbatched"]
    assert data["symbols"]["2P"] == ["proj_size", 2]
    assert set(data["letters"].values()) == {"units", "features", "proj_size"}
