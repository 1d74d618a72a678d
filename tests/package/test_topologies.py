"""The explorer's data — shape templates, formulas, limits — agrees with the shapes module.

The templates are written independently of :func:`lstm_outputs.shapes.returned_tensors`;
these properties fill them with sizes drawn by hypothesis (known, unknown and at the limits)
and compare every name, shape, meaning and parameter count.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lstm_outputs.configs import LAYERS, MERGE_MODES
from lstm_outputs.formulas import keras_parameter_formula, pytorch_parameter_formula
from lstm_outputs.limits import EXACT_INTEGER_LIMIT, SIZE_LIMITS
from lstm_outputs.shapes import parameter_count, returned_tensors
from lstm_outputs.topologies import (
    INPUT_TEMPLATE,
    TOPOLOGIES,
    Topology,
    fill_shape,
    keras_call,
    tensor_templates,
    unpacking_line,
)
from lstm_outputs.torch_equivalents import MODULES, torch_equivalent


def sizes(name: str):
    """A size up to its limit, small ones and the limit itself drawn often."""
    return st.one_of(
        st.integers(1, 64), st.integers(1, SIZE_LIMITS[name]), st.just(SIZE_LIMITS[name])
    )


topologies = st.sampled_from(TOPOLOGIES)


def test_every_topology_is_listed_once():
    keys = [t.key for t in TOPOLOGIES]
    assert len(keys) == len(set(keys)) == len(LAYERS) * (1 + len(MERGE_MODES)) * 4
    assert Topology("GRU", merge_mode="sum") == Topology("GRU")


@given(
    topologies,
    sizes("units"),
    st.none() | sizes("timesteps"),
    st.none() | sizes("batch"),
)
def test_filled_templates_are_the_returned_tensors(topology, units, timesteps, batch):
    expected = returned_tensors(
        units,
        timesteps,
        return_sequences=topology.return_sequences,
        return_state=topology.return_state,
        batch=batch,
        layer=topology.layer,
        bidirectional=topology.bidirectional,
        merge_mode=topology.merge_mode,
    )
    templates = tensor_templates(topology)
    filled = [fill_shape(t.shape, units=units, timesteps=timesteps, batch=batch) for t in templates]
    assert [t.name for t in templates] == [t.name for t in expected]
    assert filled == [t.shape for t in expected]
    assert [t.meaning for t in templates] == [t.meaning for t in expected]
    assert unpacking_line(topology) == f"{', '.join(t.name for t in expected)} = layer(x)"


@given(sizes("features"), st.none() | sizes("timesteps"), st.none() | sizes("batch"))
def test_input_template_is_batch_timesteps_features(features, timesteps, batch):
    filled = fill_shape(INPUT_TEMPLATE, features=features, timesteps=timesteps, batch=batch)
    assert filled == (batch, timesteps, features)


@given(st.sampled_from(LAYERS), st.booleans(), st.booleans(), sizes("units"), sizes("features"))
def test_formula_counts_agree_with_parameter_count(
    layer, bidirectional, reset_after, units, features
):
    formula = keras_parameter_formula(layer, bidirectional=bidirectional, reset_after=reset_after)
    expected = parameter_count(
        units, features, layer=layer, bidirectional=bidirectional, reset_after=reset_after
    )
    assert formula.count(units, features) == expected
    text, value = formula.filled(units, features).split(" = ")
    assert value == str(expected)
    # The filled text is arithmetic that evaluates to the count.
    assert eval(text.replace("·", "*"), {"__builtins__": {}}) == expected
    template = formula.template.replace("U", str(units)).replace("F", str(features))
    assert template == text


def test_formula_texts_are_the_documented_ones():
    assert keras_parameter_formula("LSTM").text == "4·(U·(F+U)+U)"
    assert keras_parameter_formula("GRU").text == "3·(U·(F+U)+2U)"
    assert keras_parameter_formula("GRU", reset_after=False).text == "3·(U·(F+U)+U)"
    assert keras_parameter_formula("SimpleRNN").text == "U·(F+U)+U"
    assert keras_parameter_formula("LSTM", bidirectional=True).text == "2·4·(U·(F+U)+U)"
    assert pytorch_parameter_formula("LSTM").text == "4·(U·(F+U)+2U)"
    assert pytorch_parameter_formula("GRU").text == "3·(U·(F+U)+2U)"
    assert pytorch_parameter_formula("SimpleRNN").text == "U·(F+U)+2U"


def test_every_count_within_the_limits_is_exact_in_javascript():
    units, features = SIZE_LIMITS["units"], SIZE_LIMITS["features"]
    formulas = [
        make(layer, bidirectional=bidirectional, **extra)
        for layer in LAYERS
        for bidirectional in (False, True)
        for make, extra in [
            (keras_parameter_formula, {"reset_after": True}),
            (keras_parameter_formula, {"reset_after": False}),
            (pytorch_parameter_formula, {}),
        ]
    ]
    largest = max(f.count(units, features) for f in formulas)
    assert largest == pytorch_parameter_formula("LSTM", bidirectional=True).count(units, features)
    assert largest < EXACT_INTEGER_LIMIT
    # Each step of the browser's polynomial stays exact too.
    uu, uf, u = pytorch_parameter_formula("LSTM", bidirectional=True).coefficients
    assert max(uu * units * units, uf * units * features, u * units) < EXACT_INTEGER_LIMIT


@given(topologies, st.booleans(), sizes("units"), st.none() | sizes("batch"))
def test_torch_equivalent_names_every_keras_tensor(topology, reset_after, units, batch):
    equivalent = torch_equivalent(topology, reset_after=reset_after)
    names = [t.name for t in tensor_templates(topology)]
    assert [name for name, _ in equivalent.expressions] == names
    assert equivalent.module == MODULES[topology.layer]
    directions = 2 if topology.bidirectional else 1
    shapes = dict(equivalent.returns)
    assert fill_shape(shapes["h_n"], units=units, batch=batch) == (directions, batch, units)
    assert fill_shape(shapes["output"], units=units, timesteps=7, batch=batch) == (
        batch,
        7,
        directions * units,
    )
    assert ("c_n" in shapes) == (topology.layer == "LSTM")
    none_exists = topology.layer == "GRU" and not reset_after
    assert all((e is None) == none_exists for _, e in equivalent.expressions)
    assert (equivalent.note is not None) == none_exists


def test_no_pytorch_gru_for_reset_after_false_says_why():
    note = torch_equivalent(Topology("GRU"), reset_after=False).note
    assert "reset_after=False" in note
    assert "nn.GRU" in note


def test_keras_call_names_layer_flags_and_merge_mode():
    topology = Topology("GRU", True, None, return_sequences=True, return_state=True)
    assert keras_call(topology, 8) == (
        "Bidirectional(GRU(8, return_sequences=True, return_state=True), merge_mode=None)"
    )
