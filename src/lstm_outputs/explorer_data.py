"""Everything the explorer page shows, as one JSON-ready value, emitted at build time.

The page's script only looks up a configuration here and puts numbers into templates:
``{units}``, ``{timesteps}``, ``{features}`` and ``{batch}`` in code and calls, the
symbols of :data:`lstm_outputs.topologies.SYMBOLS` in shapes, ``U`` and ``F`` in formulas,
whose counts are polynomials (:class:`lstm_outputs.formulas.ParameterFormula`). Names,
meanings, formulas and code all come from here, so the rules live once, in the package.
"""

from __future__ import annotations

import textwrap

from lstm_outputs.configs import LAYERS, MERGE_MODES
from lstm_outputs.diagrams.explorer import diagram_name, highlights
from lstm_outputs.formulas import ParameterFormula, ProjectedFormula, keras_parameter_formula
from lstm_outputs.limits import EXACT_INTEGER_LIMIT, SIZE_LIMITS
from lstm_outputs.topologies import INPUT_TEMPLATE, SYMBOLS, TOPOLOGIES, Topology, tensor_templates
from lstm_outputs.torch_equivalents import MODULE_VARIABLE, torch_equivalent

#: The version of the page's URL-hash format (``#v=1&layer=…``), a public URL format:
#: bump it when a field changes meaning, and keep reading the old one.
HASH_VERSION = 1

#: The layers whose configuration includes ``reset_after``.
RESET_AFTER_LAYERS = ("GRU",)

#: Sizes PyTorch needs where Keras's may stay unknown (``None``): a real input tensor.
TORCH_STAND_INS = {"timesteps": 5, "batch": 2}

#: The layers whose PyTorch module takes ``proj_size``.
PROJ_SIZE_LAYERS = ("LSTM",)
#: PyTorch-only fields, in the order a PyTorch variant's key joins them (each as 0 or 1:
#: ``proj_size`` > 0, ``unbatched`` set); see :func:`torch_variant_key`.
TORCH_KEY_FIELDS = ("proj_size", "unbatched")
#: Sizes that may be 0 (``proj_size=0``: no projection), with that smallest value.
MINIMUMS = {"proj_size": 0}
#: A size that must stay below another: PyTorch requires ``proj_size < hidden_size``.
BELOW = {"proj_size": "units"}
#: The letters of formula templates and the sizes they stand for.
LETTERS = {"U": "units", "F": "features", "P": "proj_size"}
#: Symbols of PyTorch's shapes beyond :data:`lstm_outputs.topologies.SYMBOLS`.
TORCH_SYMBOLS = {"P": ("proj_size", 1), "2P": ("proj_size", 2)}


#: The fields of the URL hash, in order; each is also the control's name on the page.
HASH_FIELDS = (
    "layer",
    "bidirectional",
    "merge_mode",
    "return_sequences",
    "return_state",
    "reset_after",
    "units",
    "timesteps",
    "features",
    "batch",
    "proj_size",
    "unbatched",
)
#: The fields a configuration's key joins with ``:`` (``reset_after`` after them for the
#: layers in :data:`RESET_AFTER_LAYERS`); see :func:`configuration_key`.
KEY_FIELDS = ("layer", "wrapper", "return_sequences", "return_state")
#: The sizes that may be unknown (``None``), as in ``keras.Input(shape=(None, F))``.
UNKNOWABLE = ("timesteps", "batch")
#: The page's one-line messages for a bad size, naming the field (``{field}``).
MESSAGES = {
    "empty": "{field} is empty: enter a positive whole number",
    "not_integer": "{field} must be a positive whole number, got {value}",
    "too_small": "{field} must be a positive whole number, got {value}",
    "too_large": "{field} must be at most {limit}, got {value}",
    "negative": "{field} must be 0 or a positive whole number, got {value}",
    "not_below": "{field} must be smaller than {other} ({limit}), got {value}",
}


def configuration_key(topology: Topology, reset_after: bool = True) -> str:
    """The key of a configuration: the topology's key, and ``reset_after`` for a GRU.

    >>> configuration_key(Topology("GRU"), reset_after=False)
    'GRU:plain:0:0:0'
    >>> configuration_key(Topology("LSTM"), reset_after=False)
    'LSTM:plain:0:0'
    """
    if topology.layer in RESET_AFTER_LAYERS:
        return f"{topology.key}:{int(reset_after)}"
    return topology.key


def keras_layer_code(topology: Topology, reset_after: bool = True) -> str:
    """The Keras 3 code that makes the layer, with ``{units}`` where the units go.

    >>> print(keras_layer_code(Topology("GRU", return_state=True), reset_after=False))
    keras.layers.GRU({units}, return_state=True, reset_after=False)
    >>> print(keras_layer_code(Topology("LSTM", bidirectional=True, merge_mode=None)))
    keras.layers.Bidirectional(
        keras.layers.LSTM({units}),
        merge_mode=None,
    )
    """
    call = f"keras.layers.{_layer_call(topology, reset_after)}"
    if not topology.bidirectional:
        return call
    return f"keras.layers.Bidirectional(\n    {call},\n    merge_mode={topology.merge_mode!r},\n)"


def keras_call(topology: Topology, reset_after: bool = True) -> str:
    """The layer's constructor call as the page names it, with ``{units}`` for the units.

    >>> keras_call(Topology("LSTM", bidirectional=True, merge_mode="sum", return_state=True))
    "Bidirectional(LSTM({units}, return_state=True), merge_mode='sum')"
    """
    call = _layer_call(topology, reset_after)
    if not topology.bidirectional:
        return call
    return f"Bidirectional({call}, merge_mode={topology.merge_mode!r})"


def _layer_call(topology: Topology, reset_after: bool) -> str:
    arguments = ["{units}"]
    arguments += [f"{flag}=True" for flag in ("return_sequences", "return_state")
                  if getattr(topology, flag)]  # fmt: skip
    if topology.layer in RESET_AFTER_LAYERS and not reset_after:
        arguments.append("reset_after=False")
    return f"{topology.layer}({', '.join(arguments)})"


def keras_code(topology: Topology, reset_after: bool = True) -> str:
    """A Keras 3 script that builds the layer and prints each returned tensor's shape.

    >>> print(keras_code(Topology("LSTM", return_state=True)))
    import keras
    <BLANKLINE>
    x = keras.Input(shape=({timesteps}, {features}), batch_size={batch})
    layer = keras.layers.LSTM({units}, return_state=True)
    last_hidden, state_h, state_c = layer(x)
    print("last_hidden", last_hidden.shape)
    print("state_h", state_h.shape)
    print("state_c", state_c.shape)
    print("parameters", layer.count_params())
    """
    names = [t.name for t in tensor_templates(topology)]
    lines = [
        "import keras",
        "",
        "x = keras.Input(shape=({timesteps}, {features}), batch_size={batch})",
        f"layer = {keras_layer_code(topology, reset_after)}",
        f"{', '.join(names)} = layer(x)",
        *(f'print("{name}", {name}.shape)' for name in names),
        'print("parameters", layer.count_params())',
    ]
    return "\n".join(lines)


def torch_code(
    topology: Topology, reset_after: bool = True, *, projected: bool = False,
    unbatched: bool = False,
) -> str:  # fmt: skip
    """A PyTorch script: the module, a batch of zeros, and each Keras tensor from its outputs.

    Unknown sizes cannot stay unknown in PyTorch, so ``{torch_batch}`` and
    ``{torch_timesteps}`` are the sizes, or :data:`TORCH_STAND_INS` where they are unknown.
    ``unbatched`` makes ``x`` one sequence, ``(T, F)``; ``projected`` adds ``proj_size``.

    >>> print(torch_code(Topology("SimpleRNN")))
    import torch
    from torch import nn
    <BLANKLINE>
    rnn = nn.RNN({features}, {units}, batch_first=True)
    x = torch.zeros({torch_batch}, {torch_timesteps}, {features})
    output, h_n = rnn(x)
    last_hidden = h_n[-1]
    print("last_hidden", tuple(last_hidden.shape))
    print("parameters", sum(p.numel() for p in rnn.parameters()))
    """
    equivalent = torch_equivalent(
        topology, reset_after=reset_after, projected=projected, unbatched=unbatched
    )
    lines = ["import torch", "from torch import nn", ""]
    if equivalent.note is not None:
        lines += textwrap.wrap(f"No equivalent: {equivalent.note}.", 88, initial_indent="# ",
                               subsequent_indent="# ")  # fmt: skip
        if projected:
            lines.append(f"# What {equivalent.module} with proj_size returns:")
        else:
            lines.append(f"# The nearest module, {equivalent.module} (reset_after=True), returns:")
    batch = "" if unbatched else "{torch_batch}, "
    lines += [
        f"{MODULE_VARIABLE} = {equivalent.call}",
        f"x = torch.zeros({batch}{{torch_timesteps}}, {{features}})",
        equivalent.unpacking,
    ]
    if equivalent.note is None:
        for name, expression in equivalent.expressions:
            lines.append(f"{name} = {expression}")
        lines += [f'print("{name}", tuple({name}.shape))' for name, _ in equivalent.expressions]
    else:
        returned = [name for name, _ in equivalent.returns]
        lines += [f'print("{name}", tuple({name}.shape))' for name in returned]
    lines.append(f'print("parameters", sum(p.numel() for p in {MODULE_VARIABLE}.parameters()))')
    return "\n".join(lines)


def _formula(formula: ParameterFormula | ProjectedFormula) -> dict:
    """A formula as the page evaluates it: ``terms``, each a coefficient and the sizes it
    multiplies (``[4, ["units", "features"]]`` is ``4·U·F``).

    >>> from lstm_outputs.formulas import pytorch_projected_formula
    >>> _formula(pytorch_projected_formula())["terms"]
    [[4, ['units', 'features']], [5, ['units', 'proj_size']], [8, ['units']]]
    """
    second = "proj_size" if isinstance(formula, ProjectedFormula) else "units"
    first, middle, last = formula.coefficients
    products = (
        [["units", "features"], ["units", second], ["units"]]
        if second == "proj_size"
        else [["units", "units"], ["units", "features"], ["units"]]
    )
    return {
        "text": formula.text,
        "template": formula.template,
        "coefficients": list(formula.coefficients),
        "terms": [[c, p] for c, p in zip((first, middle, last), products, strict=True)],
    }


def torch_variant_key(projected: bool, unbatched: bool) -> str:
    """The key of a PyTorch variant: :data:`TORCH_KEY_FIELDS` as 0 or 1, joined by ``:``.

    >>> torch_variant_key(projected=True, unbatched=False)
    '1:0'
    """
    return f"{int(projected)}:{int(unbatched)}"


def torch_variant(
    topology: Topology, reset_after: bool = True, *, projected: bool = False,
    unbatched: bool = False,
) -> dict:  # fmt: skip
    """What the PyTorch panel shows for one configuration and PyTorch variant.

    >>> variant = torch_variant(Topology("LSTM"), projected=True)
    >>> variant["expressions"], variant["returns"][2]
    ([None], {'name': 'c_n', 'shape': [1, 'batch', 'U']})
    """
    options = {"projected": projected, "unbatched": unbatched}
    equivalent = torch_equivalent(topology, reset_after=reset_after, **options)
    return {
        "module": equivalent.module,
        "call": equivalent.call,
        "unpacking": equivalent.unpacking,
        "returns": [{"name": name, "shape": list(shape)} for name, shape in equivalent.returns],
        "formula": _formula(equivalent.formula),
        "note": equivalent.note,
        "expressions": [expression for _, expression in equivalent.expressions],
        "code": torch_code(topology, reset_after, **options),
    }


def configuration(topology: Topology, reset_after: bool = True) -> dict:
    """What the page shows for one configuration, before any size is known.

    >>> entry = configuration(Topology("LSTM", return_sequences=True))
    >>> entry["tensors"][0]["name"], entry["tensors"][0]["shape"], entry["tensors"][0]["torch"]
    ('sequence', ['batch', 'T', 'U'], 'output')
    >>> entry["keras_formula"]["text"], entry["torch"]["0:0"]["formula"]["text"]
    ('4·(U·(F+U)+U)', '4·(U·(F+U)+2U)')
    >>> sorted(entry["torch"])
    ['0:0', '0:1', '1:0', '1:1']
    """
    equivalent = torch_equivalent(topology, reset_after=reset_after)
    highlighted = highlights(topology)
    expressions = dict(equivalent.expressions)
    return {
        "call": keras_call(topology, reset_after),
        "unpacking": f"{', '.join(t.name for t in tensor_templates(topology))} = layer(x)",
        "tensors": [
            {
                "name": t.name,
                "meaning": t.meaning,
                "shape": list(t.shape),
                "highlight": list(highlighted[t.name]),
                "torch": expressions[t.name],
            }
            for t in tensor_templates(topology)
        ],
        "diagram": diagram_name(topology.layer, topology.bidirectional),
        "keras_formula": _formula(
            keras_parameter_formula(
                topology.layer, bidirectional=topology.bidirectional, reset_after=reset_after
            )
        ),
        "keras_code": keras_code(topology, reset_after),
        "torch": {
            torch_variant_key(projected, unbatched): torch_variant(
                topology, reset_after, projected=projected, unbatched=unbatched
            )
            for projected in ((False, True) if topology.layer in PROJ_SIZE_LAYERS else (False,))
            for unbatched in (False, True)
        },
    }


def configurations() -> dict[str, dict]:
    """Every configuration the explorer offers, by :func:`configuration_key`.

    >>> entries = configurations()
    >>> len(entries), "GRU:None:1:1:0" in entries
    (96, True)
    """
    entries = {}
    for topology in TOPOLOGIES:
        for reset_after in (True, False) if topology.layer in RESET_AFTER_LAYERS else (True,):
            entries[configuration_key(topology, reset_after)] = configuration(topology, reset_after)
    return entries


def explorer_data() -> dict:
    """The whole explorer: controls' choices, limits, symbols and every configuration.

    >>> data = explorer_data()
    >>> data["hash_version"], data["layers"][1], data["limits"]["units"]
    (1, {'name': 'GRU', 'reset_after': True, 'proj_size': False}, 1000000)
    """
    return {
        "hash_version": HASH_VERSION,
        "hash_fields": list(HASH_FIELDS),
        "key_fields": list(KEY_FIELDS),
        "key_fields_reset_after": [*KEY_FIELDS, "reset_after"],
        "unknowable": list(UNKNOWABLE),
        "messages": dict(MESSAGES),
        "layers": [
            {
                "name": layer,
                "reset_after": layer in RESET_AFTER_LAYERS,
                "proj_size": layer in PROJ_SIZE_LAYERS,
            }
            for layer in LAYERS
        ],
        "merge_modes": [str(mode) for mode in MERGE_MODES],
        # proj_size < units, so its largest value is one below the units' limit.
        "limits": {**SIZE_LIMITS, "proj_size": SIZE_LIMITS["units"] - 1},
        "minimums": dict(MINIMUMS),
        "below": dict(BELOW),
        "letters": dict(LETTERS),
        "torch_key_fields": list(TORCH_KEY_FIELDS),
        "exact_integer_limit": EXACT_INTEGER_LIMIT,
        "symbols": {
            symbol: list(meaning) for symbol, meaning in {**SYMBOLS, **TORCH_SYMBOLS}.items()
        },
        "input": list(INPUT_TEMPLATE),
        "torch_stand_ins": dict(TORCH_STAND_INS),
        "configurations": configurations(),
    }
