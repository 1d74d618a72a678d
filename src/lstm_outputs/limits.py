"""The largest sizes the explorer and the CLI accept, and the check that enforces them.

Every parameter count within these limits stays below ``2**53``, so it is exact as a
JavaScript number (the explorer page computes counts in the browser) as well as in Python.
"""

from __future__ import annotations

from lstm_outputs.validation import check_size

#: Integers above this lose precision as JavaScript numbers (IEEE 754 doubles).
EXACT_INTEGER_LIMIT = 2**53

#: The largest value of each size, by argument name. Units and features enter the parameter
#: count (at most ``8·(U·(F+U)+2U)``, a Bidirectional LSTM counted PyTorch's way, about
#: 1.6e13 here); timesteps and batch only appear in shapes.
SIZE_LIMITS = {
    "units": 1_000_000,
    "features": 1_000_000,
    "timesteps": 1_000_000_000,
    "batch": 1_000_000_000,
}

#: The largest size along one spatial axis of a ConvLSTM layer: its frame, kernel, strides and
#: dilation rate (the explorer counts a ConvLSTM layer's parameters exactly, with BigInt).
AXIS_LIMIT = 1_000_000


def check_limited_size(name: str, value: object, *, allow_none: bool = False) -> int | None:
    """Return ``value`` as an ``int`` if it is a positive integer within ``SIZE_LIMITS[name]``.

    >>> check_limited_size("units", 16)
    16
    >>> check_limited_size("batch", None, allow_none=True) is None
    True
    >>> check_limited_size("units", 2_000_000)
    Traceback (most recent call last):
    ...
    ValueError: units must be at most 1000000, got 2000000
    >>> check_limited_size("units", 0)
    Traceback (most recent call last):
    ...
    ValueError: units must be a positive integer, got 0
    """
    if name not in SIZE_LIMITS:
        raise ValueError(f"name must be one of {', '.join(map(repr, SIZE_LIMITS))}, got {name!r}")
    size = check_size(name, value, allow_none=allow_none)
    if size is not None and size > SIZE_LIMITS[name]:
        raise ValueError(f"{name} must be at most {SIZE_LIMITS[name]}, got {size}")
    return size
