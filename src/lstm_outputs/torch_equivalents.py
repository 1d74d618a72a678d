"""What PyTorch returns for each Keras topology, and the expression that gives each Keras tensor.

PyTorch's ``nn.LSTM``, ``nn.GRU`` and ``nn.RNN`` (here with ``batch_first=True`` and one
layer) always return every hidden state, ``output``, and the last states of each direction,
``h_n`` (and ``c_n`` for an LSTM), shaped ``(directions, batch, U)``. Keras's flags only
choose among these, so each Keras tensor is an expression over them. ``nox -s crosscheck``
proves every expression and count against real ``torch.nn`` modules; nothing here imports
PyTorch.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_outputs.formulas import (
    ParameterFormula,
    ProjectedFormula,
    pytorch_parameter_formula,
    pytorch_projected_formula,
)
from lstm_outputs.topologies import ShapeTemplate, Topology, tensor_templates
from lstm_outputs.validation import check_flag

#: The PyTorch module for each Keras layer kind.
MODULES = {"LSTM": "nn.LSTM", "GRU": "nn.GRU", "SimpleRNN": "nn.RNN"}
#: The name the expressions give the PyTorch module.
MODULE_VARIABLE = "rnn"

#: Why a Keras ``GRU(reset_after=False)`` has no PyTorch equivalent.
NO_GRU_RESET_BEFORE = (
    "PyTorch's nn.GRU applies the reset gate after the recurrent matrix product, as Keras "
    "does with reset_after=True (its default), and has no option to apply it before: no "
    "PyTorch module computes a Keras GRU with reset_after=False"
)

#: Why an ``nn.LSTM`` with ``proj_size > 0`` has no Keras equivalent.
NO_PROJECTION = (
    "proj_size multiplies every h_t by a (proj_size, hidden_size) matrix before the next step "
    "reads it; Keras's LSTM has no projection, so no Keras layer computes it"
)

#: The forward and backward halves of a bidirectional ``output`` (``batch_first``: the last
#: axis holds the forward units, then the backward ones).
_HALVES = (
    f"output[..., :{MODULE_VARIABLE}.hidden_size]",
    f"output[..., {MODULE_VARIABLE}.hidden_size:]",
)
#: The forward and backward last hidden states in ``h_n`` (the last layer's two rows).
_LAST = ("h_n[-2]", "h_n[-1]")
#: How a merged Bidirectional output is written from the forward and backward values.
_MERGES = {
    "concat": "torch.cat([{f}, {b}], dim=-1)",
    "sum": "{f} + {b}",
    "mul": "{f} * {b}",
    "ave": "({f} + {b}) / 2",
}


@dataclass(frozen=True)
class TorchEquivalent:
    """The PyTorch module for a topology, what it returns, and each Keras tensor from it.

    ``expressions`` pairs each Keras tensor name (in Keras's order) with the PyTorch
    expression that equals it, or ``None`` where no PyTorch module computes the layer;
    ``note`` then says why.
    """

    module: str
    call: str
    unpacking: str
    returns: tuple[tuple[str, ShapeTemplate], ...]
    formula: ParameterFormula | ProjectedFormula
    expressions: tuple[tuple[str, str | None], ...]
    note: str | None


def _expression(name: str, topology: Topology) -> str:
    """The PyTorch expression for one Keras tensor of a computable topology."""
    if name in ("forward_h", "forward_c", "backward_h", "backward_c", "state_h", "state_c"):
        states = "c_n" if name.endswith("_c") else "h_n"
        return f"{states}[-2]" if name.startswith("forward") else f"{states}[-1]"
    if not topology.bidirectional:
        return "output" if name == "sequence" else "h_n[-1]"
    sequence = name.endswith("sequence")
    forward, backward = _HALVES if sequence else _LAST
    if name.startswith("forward_"):
        return forward
    if name.startswith("backward_"):
        return backward
    if sequence and topology.merge_mode == "concat":
        return "output"
    return _MERGES[topology.merge_mode].format(f=forward, b=backward)


def torch_equivalent(
    topology: Topology,
    *,
    reset_after: bool = True,
    projected: bool = False,
    unbatched: bool = False,
) -> TorchEquivalent:
    """The PyTorch counterpart of ``topology`` (``reset_after`` matters for a GRU only).

    ``projected`` adds ``proj_size={proj_size}`` to an ``nn.LSTM`` (no Keras tensor then
    has an expression); ``unbatched`` reads one sequence ``(T, F)``, so nothing the module
    returns has a batch axis, and each expression gives the Keras tensor of that one sample.

    >>> eq = torch_equivalent(Topology("LSTM", bidirectional=True, return_state=True))
    >>> eq.call
    'nn.LSTM({features}, {units}, batch_first=True, bidirectional=True)'
    >>> eq.returns
    (('output', ('batch', 'T', '2U')), ('h_n', (2, 'batch', 'U')), ('c_n', (2, 'batch', 'U')))
    >>> for name, expression in eq.expressions:
    ...     print(name, "=", expression)
    last_hidden = torch.cat([h_n[-2], h_n[-1]], dim=-1)
    forward_h = h_n[-2]
    forward_c = c_n[-2]
    backward_h = h_n[-1]
    backward_c = c_n[-1]
    >>> eq.formula.text
    '2·4·(U·(F+U)+2U)'
    >>> torch_equivalent(Topology("GRU"), reset_after=False).expressions
    (('last_hidden', None),)
    >>> eq = torch_equivalent(Topology("LSTM"), projected=True, unbatched=True)
    >>> eq.call, eq.returns
    ('nn.LSTM({features}, {units}, batch_first=True, proj_size={proj_size})', (('output', ('T', 'P')), ('h_n', (1, 'P')), ('c_n', (1, 'U'))))
    """
    reset_after = check_flag("reset_after", reset_after)
    projected = check_flag("projected", projected)
    unbatched = check_flag("unbatched", unbatched)
    if projected and topology.layer != "LSTM":
        raise ValueError(
            f"projected applies to LSTM only: {MODULES[topology.layer]} has no proj_size"
        )
    module = MODULES[topology.layer]
    directions = 2 if topology.bidirectional else 1
    flags = ", bidirectional=True" if topology.bidirectional else ""
    flags += ", proj_size={proj_size}" if projected else ""
    states = ("h_n", "c_n") if topology.layer == "LSTM" else ("h_n",)
    state_text = f"({', '.join(states)})" if len(states) > 1 else states[0]
    width = "P" if projected else "U"
    batch = () if unbatched else ("batch",)
    returns = (
        ("output", (*batch, "T", f"2{width}" if topology.bidirectional else width)),
        *((state, (directions, *batch, "U" if state == "c_n" else width)) for state in states),
    )
    note = None
    if topology.layer == "GRU" and not reset_after:
        note = NO_GRU_RESET_BEFORE
    elif projected:
        note = NO_PROJECTION
    names = [t.name for t in tensor_templates(topology)]
    formula = (
        pytorch_projected_formula(bidirectional=topology.bidirectional)
        if projected
        else pytorch_parameter_formula(topology.layer, bidirectional=topology.bidirectional)
    )
    return TorchEquivalent(
        module=module,
        call=f"{module}({{features}}, {{units}}, batch_first=True{flags})",
        unpacking=f"output, {state_text} = {MODULE_VARIABLE}(x)",
        returns=returns,
        formula=formula,
        expressions=tuple(
            (name, _expression(name, topology) if note is None else None) for name in names
        ),
        note=note,
    )
