"""The four output configurations of a Keras recurrent layer, as values."""

from __future__ import annotations

from dataclasses import dataclass

from lstm_outputs.validation import check_flag, check_size

#: What each named returned tensor holds, in words a reader can check.
MEANINGS = {
    "last_hidden": "hidden state after the last timestep, h_T",
    "sequence": "hidden state at every timestep, h_1 ... h_T",
    "state_h": "last hidden state h_T again, returned as a state",
    "state_c": "last cell state c_T",
    "forward_sequence": "forward direction's hidden state at every timestep",
    "backward_sequence": "backward direction's hidden state at every timestep",
    "forward_last_hidden": "forward direction's hidden state after the last timestep",
    "backward_last_hidden": "backward direction's hidden state after reading back to t = 1",
    "forward_h": "forward direction's last hidden state",
    "forward_c": "forward direction's last cell state",
    "backward_h": "backward direction's last hidden state (it belongs to t = 1)",
    "backward_c": "backward direction's last cell state (it belongs to t = 1)",
}


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
