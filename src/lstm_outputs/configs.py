"""The four output configurations of a Keras recurrent layer, as values."""

from __future__ import annotations

from dataclasses import dataclass

from lstm_outputs.validation import check_choice, check_flag, check_size

#: The recurrent layers the package describes.
LAYERS = ("LSTM", "GRU", "SimpleRNN")
#: ``Bidirectional``'s merge modes; ``None`` returns the two directions separately.
MERGE_MODES = ("concat", "sum", "mul", "ave", None)

#: What each named returned tensor holds, in words a reader can check. ``last_hidden`` and
#: ``sequence`` are a plain layer's; inside ``Bidirectional`` they depend on the merge mode:
#: see :func:`meaning`.
MEANINGS = {
    "last_hidden": "hidden state after the last timestep, h_T",
    "sequence": "hidden state at every timestep, h_1 ... h_T",
    "state_h": "last hidden state h_T again, returned as a state",
    "state_c": "last cell state c_T",
    "forward_sequence": "forward direction's hidden state at every timestep",
    "backward_sequence": "backward direction's hidden state at every timestep",
    "forward_last_hidden": "forward direction's hidden state after the last timestep",
    "backward_last_hidden": "backward direction's hidden state after reading back to timestep 0",
    "forward_h": "forward direction's last hidden state",
    "forward_c": "forward direction's last cell state",
    "backward_h": "backward direction's last hidden state (it belongs to timestep 0)",
    "backward_c": "backward direction's last cell state (it belongs to timestep 0)",
}


#: How ``Bidirectional`` merges a forward value ``f`` with a backward value ``b``, by
#: ``merge_mode`` (``None`` returns the two separately).
MERGED = {
    "concat": "[{f}, {b}], concatenated",
    "sum": "{f} + {b}",
    "mul": "{f} * {b}, element by element",
    "ave": "({f} + {b}) / 2",
}

#: The forward and backward values a merged ``Bidirectional`` output combines.
_DIRECTIONS = {
    "last_hidden": ("forward h_T", "backward h at timestep 0"),
    "sequence": ("forward h_t", "backward h_t"),
}


def meaning(
    name: str,
    layer: str = "LSTM",
    *,
    bidirectional: bool = False,
    merge_mode: str | None = "concat",
) -> str:
    """What the returned tensor ``name`` holds, for that layer, wrapper and merge mode.

    A plain layer's ``last_hidden`` is h_T. Inside ``Bidirectional`` the merged output
    combines the forward direction's value with the backward one's: for ``last_hidden``
    the forward h_T and the backward h at timestep 0 (the backward layer ends at the first
    timestep, numbered 0 as in ``output[:, 0]``), for ``sequence`` the two directions' h_t
    at each timestep.

    >>> meaning("last_hidden")
    'hidden state after the last timestep, h_T'
    >>> meaning("last_hidden", bidirectional=True)
    '[forward h_T, backward h at timestep 0], concatenated'
    >>> meaning("sequence", bidirectional=True, merge_mode="sum")
    'at every timestep t, forward h_t + backward h_t'
    >>> meaning("last_hidden", "GRU", bidirectional=True, merge_mode="ave")
    '(forward h_T + backward h at timestep 0) / 2'
    >>> meaning("state_c", "GRU")
    Traceback (most recent call last):
    ...
    ValueError: name must be a tensor GRU returns, got 'state_c' (GRU has no cell state)
    """
    check_choice("name", name, tuple(MEANINGS))
    check_choice("layer", layer, LAYERS)
    check_flag("bidirectional", bidirectional)
    check_choice("merge_mode", merge_mode, MERGE_MODES)
    if name.endswith("_c") and layer != "LSTM":
        raise ValueError(
            f"name must be a tensor {layer} returns, got {name!r} ({layer} has no cell state)"
        )
    if not bidirectional or merge_mode is None or name not in _DIRECTIONS:
        return MEANINGS[name]
    forward, backward = _DIRECTIONS[name]
    merged = MERGED[merge_mode].format(f=forward, b=backward)
    return f"at every timestep t, {merged}" if name == "sequence" else merged


@dataclass(frozen=True)
class OutputConfig:
    """One combination of ``return_sequences`` and ``return_state``.

    >>> config = OutputConfig(return_sequences=True, return_state=False)
    >>> config.name
    'return_sequences'
    >>> config.keras_call(16)
    'LSTM(16, return_sequences=True)'
    """

    return_sequences: bool
    return_state: bool

    def __post_init__(self) -> None:
        # Stored as real bools, so a NumPy boolean compares, hashes and prints as one.
        for flag in ("return_sequences", "return_state"):
            object.__setattr__(self, flag, check_flag(flag, getattr(self, flag)))

    @property
    def name(self) -> str:
        """A short identifier: ``default``, ``return_sequences``, ``return_state`` or ``both``."""
        return {
            (False, False): "default",
            (True, False): "return_sequences",
            (False, True): "return_state",
            (True, True): "both",
        }[(self.return_sequences, self.return_state)]

    @property
    def returned_names(self) -> tuple[str, ...]:
        """Names of the tensors an LSTM returns, in Keras's order.

        >>> OutputConfig(return_sequences=True, return_state=True).returned_names
        ('sequence', 'state_h', 'state_c')
        """
        first = "sequence" if self.return_sequences else "last_hidden"
        return (first, "state_h", "state_c") if self.return_state else (first,)

    @property
    def flags(self) -> dict[str, bool]:
        """The two flags as Keras's keyword arguments.

        >>> OutputConfig(True, False).flags
        {'return_sequences': True, 'return_state': False}
        """
        return {"return_sequences": self.return_sequences, "return_state": self.return_state}

    def keras_call(self, units: int, layer: str = "LSTM") -> str:
        """The Keras constructor call, as code, that makes this configuration.

        >>> OutputConfig(False, False).keras_call(16)
        'LSTM(16)'
        >>> OutputConfig(False, True).keras_call(8, layer="GRU")
        'GRU(8, return_state=True)'
        """
        check_size("units", units)
        flags = [f"{flag}=True" for flag in self._set_flags()]
        return f"{layer}({', '.join([str(units), *flags])})"

    def _set_flags(self) -> list[str]:
        flags = []
        if self.return_sequences:
            flags.append("return_sequences")
        if self.return_state:
            flags.append("return_state")
        return flags


#: The four configurations, in the order the site presents them.
CONFIGS = (
    OutputConfig(return_sequences=False, return_state=False),
    OutputConfig(return_sequences=True, return_state=False),
    OutputConfig(return_sequences=False, return_state=True),
    OutputConfig(return_sequences=True, return_state=True),
)
