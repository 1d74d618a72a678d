"""Every topology of a Keras recurrent layer, with its returned tensors as shape templates.

A topology is a layer kind (LSTM, GRU, SimpleRNN), optionally wrapped in ``Bidirectional``
with a merge mode, and the two flags ``return_sequences`` and ``return_state``. Its returned
tensors are known before any size is: a shape template such as ``("batch", "T", "2U")``
names each axis by the size it holds, and :func:`fill_shape` puts numbers in. Pure Python,
so the explorer page can embed the templates and substitute numbers in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from lstm_outputs.configs import LAYERS, MERGE_MODES, OutputConfig, meaning
from lstm_outputs.limits import check_limited_size
from lstm_outputs.validation import check_choice, check_flag

#: What each symbol of a shape template stands for: a size, and how many times it counts.
#: ``2U`` is a concatenated Bidirectional output (both directions' units side by side).
SYMBOLS = {
    "batch": ("batch", 1),
    "T": ("timesteps", 1),
    "F": ("features", 1),
    "U": ("units", 1),
    "2U": ("units", 2),
}

#: The input every topology reads: ``(batch, timesteps, features)``.
INPUT_TEMPLATE = ("batch", "T", "F")

ShapeTemplate = tuple[str | int, ...]


@dataclass(frozen=True)
class Topology:
    """One layer kind, wrapper and pair of flags.

    ``merge_mode`` only matters with ``bidirectional``; a plain layer's is ``"concat"``
    (``Bidirectional``'s default) so that equal topologies compare equal.

    >>> Topology("GRU", return_state=True).key
    'GRU:plain:0:1'
    >>> Topology("LSTM", bidirectional=True, merge_mode=None, return_sequences=True).key
    'LSTM:None:1:0'
    """

    layer: str = "LSTM"
    bidirectional: bool = False
    merge_mode: str | None = "concat"
    return_sequences: bool = False
    return_state: bool = False

    def __post_init__(self) -> None:
        check_choice("layer", self.layer, LAYERS)
        check_choice("merge_mode", self.merge_mode, MERGE_MODES)
        for flag in ("bidirectional", "return_sequences", "return_state"):
            object.__setattr__(self, flag, check_flag(flag, getattr(self, flag)))
        if not self.bidirectional:
            object.__setattr__(self, "merge_mode", "concat")

    @property
    def wrapper(self) -> str:
        """``"plain"``, or the Bidirectional merge mode as text (``"None"`` for ``None``)."""
        return str(self.merge_mode) if self.bidirectional else "plain"

    @property
    def key(self) -> str:
        """A short identifier: layer, wrapper and the two flags as 0/1, joined by ``:``."""
        flags = f"{int(self.return_sequences)}:{int(self.return_state)}"
        return f"{self.layer}:{self.wrapper}:{flags}"


#: Every topology, layers in ``LAYERS`` order, plain before each merge mode.
TOPOLOGIES = tuple(
    Topology(layer, bidirectional, mode, sequences, state)
    for layer, (bidirectional, mode), sequences, state in product(
        LAYERS,
        [(False, "concat")] + [(True, mode) for mode in MERGE_MODES],
        (False, True),
        (False, True),
    )
)


@dataclass(frozen=True)
class TensorTemplate:
    """A returned tensor before sizes are known: its name, meaning and shape template."""

    name: str
    meaning: str
    shape: ShapeTemplate


def tensor_templates(topology: Topology) -> tuple[TensorTemplate, ...]:
    """The tensors ``topology`` returns, in Keras's order, with shape templates.

    >>> for t in tensor_templates(Topology("LSTM", return_sequences=True, return_state=True)):
    ...     print(t.name, t.shape)
    sequence ('batch', 'T', 'U')
    state_h ('batch', 'U')
    state_c ('batch', 'U')
    >>> [t.shape for t in tensor_templates(Topology("GRU", bidirectional=True))]
    [('batch', '2U')]
    """
    output = "sequence" if topology.return_sequences else "last_hidden"
    axes = ("batch", "T") if topology.return_sequences else ("batch",)
    states = ("h", "c") if topology.layer == "LSTM" else ("h",)
    if not topology.bidirectional:
        named = [(output, (*axes, "U"))]
        if topology.return_state:
            named += [(f"state_{s}", ("batch", "U")) for s in states]
    else:
        if topology.merge_mode is None:
            named = [(f"{d}_{output}", (*axes, "U")) for d in ("forward", "backward")]
        else:
            named = [(output, (*axes, "2U" if topology.merge_mode == "concat" else "U"))]
        if topology.return_state:
            named += [(f"{d}_{s}", ("batch", "U")) for d in ("forward", "backward") for s in states]
    return tuple(
        TensorTemplate(
            name,
            meaning(
                name,
                topology.layer,
                bidirectional=topology.bidirectional,
                merge_mode=topology.merge_mode,
            ),
            shape,
        )
        for name, shape in named
    )


def fill_shape(
    template: ShapeTemplate,
    *,
    units: int | None = None,
    timesteps: int | None = None,
    features: int | None = None,
    batch: int | None = None,
) -> tuple[int | None, ...]:
    """Put sizes into a shape template; an unknown size (``None``) stays ``None``.

    Sizes are checked against the package's limits (:mod:`lstm_outputs.limits`); an
    integer in the template (PyTorch's number of directions) is kept as it is.

    >>> fill_shape(("batch", "T", "2U"), units=16, timesteps=4)
    (None, 4, 32)
    >>> fill_shape((2, "batch", "U"), units=16, batch=100)
    (2, 100, 16)
    >>> fill_shape(("batch", "U"), units=0)
    Traceback (most recent call last):
    ...
    ValueError: units must be a positive integer, got 0
    """
    sizes = {
        "units": check_limited_size("units", units, allow_none=True),
        "timesteps": check_limited_size("timesteps", timesteps, allow_none=True),
        "features": check_limited_size("features", features, allow_none=True),
        "batch": check_limited_size("batch", batch, allow_none=True),
    }
    filled = []
    for axis in template:
        if isinstance(axis, int):
            filled.append(axis)
            continue
        check_choice("axis", axis, tuple(SYMBOLS))
        size, times = SYMBOLS[axis]
        filled.append(None if sizes[size] is None else times * sizes[size])
    return tuple(filled)


def unpacking_line(topology: Topology, call: str = "layer(x)") -> str:
    """The line a reader writes to receive what ``topology`` returns, named.

    >>> unpacking_line(Topology("LSTM", return_sequences=True, return_state=True))
    'sequence, state_h, state_c = layer(x)'
    >>> unpacking_line(Topology("GRU"))
    'last_hidden = layer(x)'
    """
    names = [t.name for t in tensor_templates(topology)]
    return f"{', '.join(names)} = {call}"


def keras_call(topology: Topology, units: int) -> str:
    """The Keras constructor call, as code, that makes ``topology`` with ``units`` units.

    >>> keras_call(Topology("LSTM", bidirectional=True, merge_mode="sum"), 16)
    "Bidirectional(LSTM(16), merge_mode='sum')"
    >>> keras_call(Topology("SimpleRNN", return_state=True), 8)
    'SimpleRNN(8, return_state=True)'
    """
    check_limited_size("units", units)
    config = OutputConfig(topology.return_sequences, topology.return_state)
    call = config.keras_call(units, layer=topology.layer)
    if topology.bidirectional:
        call = f"Bidirectional({call}, merge_mode={topology.merge_mode!r})"
    return call
