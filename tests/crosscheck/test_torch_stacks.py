"""Stacked and bidirectional conversions, proj_size, unbatched input and cells against real
``torch.nn`` (``nox -s crosscheck``).

Hypothesis draws the layer kind, ``num_layers``, direction count and sizes; in both
directions a Keras stack and a PyTorch module holding converted weights must return the same
sequence and final states, to 1e-5. The shapes the package predicts for ``proj_size``,
unbatched input and the cells must be the shapes PyTorch returns, and the page's NumPy cells
(read from the page) must equal ``nn.LSTMCell`` and ``nn.GRUCell``.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_outputs.pytorch import pytorch_cell_shapes, pytorch_output_shapes
from lstm_outputs.pytorch_stacks import keras_layers_to_pytorch, pytorch_to_keras_layers

torch = pytest.importorskip("torch")

TOLERANCE = 1e-5
TORCH_MODULES = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU, "SimpleRNN": torch.nn.RNN}
PAGE = Path(__file__).parents[2] / "docs" / "reference" / "pytorch-lstm.md"
CELL = re.compile(r"```\{code-cell\} ipython3\n(.*?)```", re.DOTALL)
#: PyTorch warns once that oneDNN has no projected LSTM and falls back to its own kernel.
NO_ONEDNN_PROJECTION = "ignore:LSTM with projections is not supported with oneDNN"

KINDS = sorted(TORCH_MODULES)
#: Examples per layer kind and direction of conversion (each builds real Keras layers).
PER_KIND = 12
stacks = st.fixed_dictionaries(
    {
        "num_layers": st.integers(1, 3),
        "bidirectional": st.booleans(),
        "features": st.integers(1, 6),
        "units": st.integers(1, 6),
        "batch": st.integers(1, 3),
        "timesteps": st.integers(1, 5),
        "seed": st.integers(0, 2**16),
    }
)
EXAMPLES = []


def _keras_stack(keras, case):
    """The Keras stack: every layer returns its sequence, the top one its states too."""
    layers = []
    for k in range(case["num_layers"]):
        top = k == case["num_layers"] - 1
        layer = getattr(keras.layers, case["kind"])(
            case["units"],
            return_sequences=True,
            return_state=top,
            bias_initializer="random_normal",
            recurrent_initializer="glorot_uniform",
        )
        layers.append(keras.layers.Bidirectional(layer) if case["bidirectional"] else layer)
    return layers


def _run_keras(layers, x):
    """The top layer's sequence and its final hidden (and cell) states, by direction."""
    outputs = x
    for layer in layers:
        outputs = layer(outputs)
        outputs = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
        sequence, states = outputs[0], outputs[1:]
        outputs = sequence
    return np.asarray(sequence), [np.asarray(s) for s in states]


def _torch_module(case):
    return TORCH_MODULES[case["kind"]](
        case["features"],
        case["units"],
        num_layers=case["num_layers"],
        bidirectional=case["bidirectional"],
        batch_first=True,
    )


def _run_torch(module, x):
    with torch.no_grad():
        output, states = module(torch.from_numpy(x))
    states = states if isinstance(states, tuple) else (states,)
    return output.numpy(), [s.numpy() for s in states]


def _top_states(torch_states, case):
    """PyTorch's top-layer final states in Keras's order (h, c per direction)."""
    directions = 2 if case["bidirectional"] else 1
    rows = range(-directions, 0)
    return [states[row] for row in rows for states in torch_states]


def _compare(case, keras_out, torch_out):
    sequence, keras_states = keras_out
    output, torch_states = torch_out
    np.testing.assert_allclose(output, sequence, atol=TOLERANCE, rtol=0)
    expected = _top_states(torch_states, case)
    assert len(keras_states) == len(expected)
    for mine, theirs in zip(keras_states, expected, strict=True):
        np.testing.assert_allclose(mine, theirs, atol=TOLERANCE, rtol=0)


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=PER_KIND)
@given(case=stacks)
def test_keras_stack_to_pytorch(keras, kind, case):
    case = {**case, "kind": kind}
    keras.utils.set_random_seed(case["seed"])
    x = (
        np.random.default_rng(case["seed"])
        .normal(size=(case["batch"], case["timesteps"], case["features"]))
        .astype("float32")
    )
    layers = _keras_stack(keras, case)
    keras_out = _run_keras(layers, x)
    module = _torch_module(case)
    state = keras_layers_to_pytorch(layers)
    module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})
    _compare(case, keras_out, _run_torch(module, x))
    EXAMPLES.append(("keras_to_pytorch", case["kind"]))


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=PER_KIND)
@given(case=stacks)
def test_pytorch_module_to_keras_stack(keras, kind, case):
    case = {**case, "kind": kind}
    torch.manual_seed(case["seed"])
    x = (
        np.random.default_rng(case["seed"] + 1)
        .normal(size=(case["batch"], case["timesteps"], case["features"]))
        .astype("float32")
    )
    module = _torch_module(case)
    torch_out = _run_torch(module, x)
    layers = _keras_stack(keras, case)
    _run_keras(layers, x)  # builds every layer
    # A model's state_dict, with the module under a prefix.
    prefixed = {f"encoder.rnn.{k}": v for k, v in module.state_dict().items()}
    weights = pytorch_to_keras_layers(prefixed, layer=case["kind"], prefix="encoder.rnn.")
    assert len(weights) == len(layers)
    for layer, layer_weights in zip(layers, weights, strict=True):
        layer.set_weights(layer_weights)
    _compare(case, _run_keras(layers, x), torch_out)
    EXAMPLES.append(("pytorch_to_keras", case["kind"]))


@pytest.mark.filterwarnings(NO_ONEDNN_PROJECTION)
@given(
    hidden=st.integers(2, 6),
    proj=st.integers(0, 5),
    num_layers=st.integers(1, 3),
    bidirectional=st.booleans(),
    batch_first=st.booleans(),
    batch=st.none() | st.integers(1, 3),
    timesteps=st.integers(1, 4),
)
def test_predicted_shapes_are_torchs(
    hidden, proj, num_layers, bidirectional, batch_first, batch, timesteps
):
    proj = proj % hidden  # proj_size must be smaller than hidden_size
    lstm = torch.nn.LSTM(
        3,
        hidden,
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
        proj_size=proj,
    )
    if batch is None:
        shape = (timesteps, 3)
    else:
        shape = (batch, timesteps, 3) if batch_first else (timesteps, batch, 3)
    with torch.no_grad():
        output, (h_n, c_n) = lstm(torch.zeros(shape))
    predicted = pytorch_output_shapes(
        hidden,
        timesteps,
        batch,
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=batch_first,
        proj_size=proj,
    )
    assert predicted == {
        "output": tuple(output.shape),
        "h_n": tuple(h_n.shape),
        "c_n": tuple(c_n.shape),
    }
    EXAMPLES.append(("shapes", "LSTM"))


def test_a_projected_state_dict_is_refused_naming_weight_hr():
    lstm = torch.nn.LSTM(3, 5, num_layers=2, proj_size=2)
    assert "weight_hr_l0" in lstm.state_dict()
    with pytest.raises(ValueError, match=r"^state_dict has 'weight_hr_l0': .*proj_size"):
        pytorch_to_keras_layers(lstm.state_dict())


def _page_function(name):
    """Run the page's cell defining ``numpy_lstm`` (NumPy, ``sigmoid``), then the one defining
    ``name``, in one namespace; return the function."""
    cells = CELL.findall(PAGE.read_text())
    namespace: dict = {}
    for wanted in dict.fromkeys(["numpy_lstm", name]):
        (source,) = [c for c in cells if f"def {wanted}(" in c]
        exec(compile(source, str(PAGE), "exec"), namespace)  # noqa: S102 - our own page
    return namespace[name]


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
@pytest.mark.parametrize("batch", [None, 3])
def test_cells_loop_to_the_module_and_the_pages_cells(kind, batch):
    """nn.LSTMCell/nn.GRUCell in a loop, with the module's weights less "_l0", equal it."""
    torch.manual_seed(5)
    module = TORCH_MODULES[kind](4, 6)  # time-major: (T, batch, F), or (T, F) unbatched
    cell = getattr(torch.nn, f"{kind}Cell")(4, 6)
    cell.load_state_dict({k.removesuffix("_l0"): v for k, v in module.state_dict().items()})
    steps = 5
    shape = (steps, 4) if batch is None else (steps, batch, 4)
    x = torch.from_numpy(np.random.default_rng(6).normal(size=shape).astype("float32"))
    page_cell = _page_function(f"{kind.lower()}_cell")
    weights = {k: v.numpy().astype("float64") for k, v in cell.state_dict().items()}
    with torch.no_grad():
        output, states = module(x)
        states = states if isinstance(states, tuple) else (states,)
        shape = (6,) if batch is None else (batch, 6)
        carried = [torch.zeros(shape) for _ in states]
        mine = [np.zeros(shape) for _ in states]
        for t in range(steps):
            carried = cell(x[t], tuple(carried) if kind == "LSTM" else carried[0])
            carried = list(carried) if isinstance(carried, tuple) else [carried]
            mine = page_cell(x[t].numpy().astype("float64"), *mine, weights)
            mine = list(mine) if isinstance(mine, tuple) else [mine]
            np.testing.assert_allclose(carried[0].numpy(), output[t].numpy(), atol=TOLERANCE)
            np.testing.assert_allclose(mine[0], output[t].numpy(), atol=TOLERANCE, rtol=0)
    predicted = pytorch_cell_shapes(6, batch, layer=kind)
    assert list(predicted.values()) == [tuple(c.shape) for c in carried]
    for final, state in zip(carried, states, strict=True):
        np.testing.assert_allclose(final.numpy(), state[0].numpy(), atol=TOLERANCE, rtol=0)


def test_enough_examples_were_compared():
    # Runs after the property tests in this module (pytest keeps the file's order).
    counts = {f"{way} {kind}": EXAMPLES.count((way, kind)) for way, kind in sorted(set(EXAMPLES))}
    print(f"stacks: {len(EXAMPLES)} examples compared with torch.nn: {counts}")
    for way in ("keras_to_pytorch", "pytorch_to_keras"):
        for kind in KINDS:
            assert counts[f"{way} {kind}"] >= PER_KIND // 2, counts
    assert len(EXAMPLES) >= 2 * len(KINDS) * PER_KIND // 2 + 10, counts


@pytest.mark.filterwarnings(NO_ONEDNN_PROJECTION)
@pytest.mark.parametrize(("num_layers", "bidirectional"), [(1, False), (2, True), (3, False)])
def test_page_equations_with_proj_size_equal_torch(num_layers, bidirectional):
    numpy_lstm = _page_function("numpy_lstm")
    torch.manual_seed(num_layers)
    lstm = torch.nn.LSTM(
        3, 5, num_layers=num_layers, bidirectional=bidirectional, batch_first=True, proj_size=2
    )
    x = np.random.default_rng(3).normal(size=(3, 6, 3)).astype("float32")
    with torch.no_grad():
        output, (h_n, c_n) = lstm(torch.from_numpy(x))
    weights = {k: v.numpy().astype("float64") for k, v in lstm.state_dict().items()}
    mine, (my_h_n, my_c_n) = numpy_lstm(x.astype("float64"), weights, num_layers, bidirectional)
    np.testing.assert_allclose(mine, output.numpy(), atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(my_h_n, h_n.numpy(), atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(my_c_n, c_n.numpy(), atol=TOLERANCE, rtol=0)
