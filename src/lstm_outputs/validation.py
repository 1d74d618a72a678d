"""Argument checks that turn bad input into one clear error naming the argument.

Keras reports a bad size or flag deep inside a traceback, or not at all; these
checks run first so the message names the argument the caller got wrong.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable


def check_size(
    name: str, value: object, *, allow_none: bool = False, minimum: int = 1
) -> int | None:
    """Return ``value`` as an ``int`` if it is an integer ``>= minimum``, else raise naming ``name``.

    >>> check_size("units", 16)
    16
    >>> import numpy as np
    >>> type(check_size("units", np.int64(16)))
    <class 'int'>
    >>> check_size("batch", None, allow_none=True) is None
    True
    >>> check_size("units", 0)
    Traceback (most recent call last):
    ...
    ValueError: units must be a positive integer, got 0
    >>> check_size("seed", -1, minimum=0)
    Traceback (most recent call last):
    ...
    ValueError: seed must be a non-negative integer, got -1
    >>> check_size("units", 2.5)
    Traceback (most recent call last):
    ...
    TypeError: units must be an integer, got 2.5 (float)
    """
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    if value < minimum:
        kind = {0: "a non-negative integer", 1: "a positive integer"}.get(
            minimum, f"an integer >= {minimum}"
        )
        raise ValueError(f"{name} must be {kind}, got {value!r}")
    return int(value)


def check_flag(name: str, value: object) -> bool:
    """Return ``value`` as a ``bool`` if it is a boolean, else raise naming ``name``.

    A NumPy boolean (``np.bool_``) is a boolean too, and comes back as ``bool``.
    Keras silently treats ``return_state="no"`` as true; this does not.

    >>> check_flag("return_state", True)
    True
    >>> import numpy as np
    >>> check_flag("return_state", np.bool_(True))
    True
    >>> type(check_flag("return_state", np.False_))
    <class 'bool'>
    >>> check_flag("return_state", "no")
    Traceback (most recent call last):
    ...
    TypeError: return_state must be True or False, got 'no' (str)
    """
    if not isinstance(value, bool) and not _is_numpy_bool(value):
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def _is_numpy_bool(value: object) -> bool:
    """Whether ``value`` is a NumPy boolean scalar, told without importing NumPy."""
    kind = type(value)
    return kind.__module__ == "numpy" and kind.__name__ in {"bool", "bool_"}


def check_choice(name: str, value: object, choices: Iterable[object]) -> object:
    """Return ``value`` if it is one of ``choices``, else raise naming ``name``.

    >>> check_choice("layer", "GRU", ("LSTM", "GRU"))
    'GRU'
    >>> check_choice("layer", "RNN", ("LSTM", "GRU"))
    Traceback (most recent call last):
    ...
    ValueError: layer must be one of 'LSTM', 'GRU', got 'RNN'
    """
    choices = tuple(choices)
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")
    return value


def check_inputs(name: str, array: object, *, features: int | None = None):
    """Return ``array`` as float32 of shape ``(batch, timesteps, features)``.

    >>> check_inputs("inputs", [[[0.1, 0.2]]]).shape
    (1, 1, 2)
    >>> check_inputs("inputs", [[0.1, 0.2]])
    Traceback (most recent call last):
    ...
    ValueError: inputs must have rank 3 (batch, timesteps, features), got shape (1, 2)
    >>> check_inputs("inputs", [[[0.1, 0.2]]], features=3)
    Traceback (most recent call last):
    ...
    ValueError: inputs must have 3 features in its last axis, got shape (1, 1, 2)
    """
    import numpy as np

    try:
        values = np.asarray(array, dtype="float32")
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a numeric array, got {type(array).__name__}") from None
    if values.ndim != 3:
        raise ValueError(
            f"{name} must have rank 3 (batch, timesteps, features), got shape {values.shape}"
        )
    if 0 in values.shape:
        raise ValueError(f"{name} must not have an empty axis, got shape {values.shape}")
    if features is not None and values.shape[-1] != features:
        raise ValueError(
            f"{name} must have {features} features in its last axis, got shape {values.shape}"
        )
    return values
