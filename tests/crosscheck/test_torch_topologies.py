"""Every topology's PyTorch correspondence against real ``torch.nn`` modules (``nox -s crosscheck``).

For each Keras topology a Keras layer with random weights (biases too) runs on random
inputs; a PyTorch ``nn.LSTM``/``nn.GRU``/``nn.RNN`` holding the converted weights runs on
the same inputs; each Keras tensor must equal the expression
:func:`lstm_outputs.torch_equivalents.torch_equivalent` gives for it, to 1e-5. The shapes
PyTorch returns and both parameter counts must equal the package's templates and formulas.
A Keras GRU with ``reset_after=False`` has no PyTorch counterpart: there only the shapes
and counts are checked, and that the two counts differ.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_outputs.formulas import keras_parameter_formula
from lstm_outputs.pytorch import KERAS_TO_PYTORCH
from lstm_outputs.topologies import TOPOLOGIES, fill_shape, tensor_templates
from lstm_outputs.torch_equivalents import MODULE_VARIABLE, torch_equivalent

torch = pytest.importorskip("torch")

TOLERANCE = 1e-5
BATCH, TIMESTEPS, FEATURES, UNITS = 4, 5, 3, 6
TORCH_MODULES = {"LSTM": "LSTM", "GRU": "GRU", "SimpleRNN": "RNN"}


def _keras_layer(keras, topology, reset_after=True):
    options = {"return_sequences": topology.return_sequences, "return_state": topology.return_state}
    if topology.layer == "GRU":
        options["reset_after"] = reset_after
    cell = getattr(keras.layers, topology.layer)(UNITS, bias_initializer="random_normal", **options)
    if not topology.bidirectional:
        return cell
    return keras.layers.Bidirectional(cell, merge_mode=topology.merge_mode)


def _directions(layer, topology):
    if not topology.bidirectional:
        return [("l0", layer)]
    return [("l0", layer.forward_layer), ("l0_reverse", layer.backward_layer)]


def _torch_module(topology, keras_layer=None):
    cls = getattr(torch.nn, TORCH_MODULES[topology.layer])
    rnn = cls(FEATURES, UNITS, batch_first=True, bidirectional=topology.bidirectional)
    if keras_layer is not None:
        convert = KERAS_TO_PYTORCH[topology.layer]
        state = {}
        for suffix, direction in _directions(keras_layer, topology):
            state |= convert(*direction.get_weights(), suffix=suffix)
        rnn.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
    return rnn


def _run_torch(rnn, x):
    with torch.no_grad():
        output, states = rnn(torch.from_numpy(x))
    h_n, c_n = states if isinstance(states, tuple) else (states, None)
    return {"output": output, "h_n": h_n, "c_n": c_n}


def _keras_outputs(layer, x):
    outputs = layer(x)
    outputs = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
    return [np.asarray(t) for t in outputs]


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=[t.key for t in TOPOLOGIES])
def test_every_expression_equals_the_keras_tensor(keras, topology):
    keras.utils.set_random_seed(len(topology.key))
    x = np.random.default_rng(0).normal(size=(BATCH, TIMESTEPS, FEATURES)).astype("float32")
    layer = _keras_layer(keras, topology)
    keras_outputs = _keras_outputs(layer, x)
    rnn = _torch_module(topology, layer)
    returned = _run_torch(rnn, x)
    equivalent = torch_equivalent(topology)

    sizes = {"units": UNITS, "timesteps": TIMESTEPS, "batch": BATCH}
    for name, template in equivalent.returns:
        assert tuple(returned[name].shape) == fill_shape(template, **sizes), name
    names = [t.name for t in tensor_templates(topology)]
    assert len(keras_outputs) == len(names)
    namespace = {**returned, MODULE_VARIABLE: rnn, "torch": torch}
    for (name, expression), keras_value in zip(equivalent.expressions, keras_outputs, strict=True):
        with torch.no_grad():
            value = eval(expression, {"__builtins__": {}}, namespace)
        np.testing.assert_allclose(
            value.numpy(), keras_value, atol=TOLERANCE, rtol=0, err_msg=f"{name} = {expression}"
        )

    torch_count = sum(p.numel() for p in rnn.parameters())
    assert torch_count == equivalent.formula.count(UNITS, FEATURES)
    keras_formula = keras_parameter_formula(topology.layer, bidirectional=topology.bidirectional)
    assert layer.count_params() == keras_formula.count(UNITS, FEATURES)


GRU_TOPOLOGIES = [t for t in TOPOLOGIES if t.layer == "GRU"]


@pytest.mark.parametrize("topology", GRU_TOPOLOGIES, ids=[t.key for t in GRU_TOPOLOGIES])
def test_gru_reset_before_has_no_torch_equivalent_only_shapes_and_counts(keras, topology):
    layer = _keras_layer(keras, topology, reset_after=False)
    x = np.zeros((BATCH, TIMESTEPS, FEATURES), dtype="float32")
    keras_outputs = _keras_outputs(layer, x)
    equivalent = torch_equivalent(topology, reset_after=False)
    assert all(expression is None for _, expression in equivalent.expressions)
    assert len(equivalent.expressions) == len(keras_outputs)

    rnn = _torch_module(topology)
    returned = _run_torch(rnn, x)
    sizes = {"units": UNITS, "timesteps": TIMESTEPS, "batch": BATCH}
    for name, template in equivalent.returns:
        assert tuple(returned[name].shape) == fill_shape(template, **sizes), name
    keras_formula = keras_parameter_formula(
        "GRU", bidirectional=topology.bidirectional, reset_after=False
    )
    keras_count = layer.count_params()
    torch_count = sum(p.numel() for p in rnn.parameters())
    assert keras_count == keras_formula.count(UNITS, FEATURES)
    assert torch_count == equivalent.formula.count(UNITS, FEATURES)
    # nn.GRU keeps a recurrent bias per gate that reset_after=False has no place for.
    assert torch_count - keras_count == (2 if topology.bidirectional else 1) * 3 * UNITS
    # And the Keras layer has one bias row, which the converter refuses.
    with pytest.raises(ValueError, match="reset_after=False has no PyTorch GRU"):
        KERAS_TO_PYTORCH["GRU"](*_directions(layer, topology)[0][1].get_weights())


@pytest.mark.parametrize("topology", TOPOLOGIES, ids=[t.key for t in TOPOLOGIES])
def test_unbatched_expressions_give_the_keras_tensors_of_one_sample(keras, topology):
    """The explorer's unbatched variant: the same expressions, on one sequence (T, F)."""
    keras.utils.set_random_seed(len(topology.key) + 1)
    x = np.random.default_rng(1).normal(size=(1, TIMESTEPS, FEATURES)).astype("float32")
    layer = _keras_layer(keras, topology)
    keras_outputs = _keras_outputs(layer, x)
    rnn = _torch_module(topology, layer)
    returned = _run_torch(rnn, x[0])  # no batch axis
    equivalent = torch_equivalent(topology, unbatched=True)
    sizes = {"units": UNITS, "timesteps": TIMESTEPS, "batch": None}
    for name, template in equivalent.returns:
        assert "batch" not in template
        assert tuple(returned[name].shape) == fill_shape(template, **sizes), name
    namespace = {**returned, MODULE_VARIABLE: rnn, "torch": torch}
    for (name, expression), keras_value in zip(equivalent.expressions, keras_outputs, strict=True):
        with torch.no_grad():
            value = eval(expression, {"__builtins__": {}}, namespace)
        np.testing.assert_allclose(
            value.numpy(), keras_value[0], atol=TOLERANCE, rtol=0, err_msg=f"{name} = {expression}"
        )


LSTM_TOPOLOGIES = [t for t in TOPOLOGIES if t.layer == "LSTM" and t.merge_mode in ("concat",)]


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
@pytest.mark.parametrize("unbatched", [False, True])
@pytest.mark.parametrize("topology", LSTM_TOPOLOGIES, ids=[t.key for t in LSTM_TOPOLOGIES])
def test_projected_shapes_and_count_are_torchs(topology, unbatched):
    proj = 2
    equivalent = torch_equivalent(topology, projected=True, unbatched=unbatched)
    rnn = torch.nn.LSTM(
        FEATURES, UNITS, batch_first=True, bidirectional=topology.bidirectional, proj_size=proj
    )
    shape = (TIMESTEPS, FEATURES) if unbatched else (BATCH, TIMESTEPS, FEATURES)
    returned = _run_torch(rnn, np.zeros(shape, dtype="float32"))
    symbols = {"batch": BATCH, "T": TIMESTEPS, "U": UNITS, "P": proj, "2P": 2 * proj}
    for name, template in equivalent.returns:
        expected = tuple(a if isinstance(a, int) else symbols[a] for a in template)
        assert tuple(returned[name].shape) == expected, name
    assert sum(p.numel() for p in rnn.parameters()) == equivalent.formula.count(
        UNITS, FEATURES, proj
    )
    assert all(expression is None for _, expression in equivalent.expressions)
