"""Real Keras layers and models for each configuration, with outputs by name.

Keras returns a bare tensor or a tuple whose meaning depends on the flags;
:func:`run_layer` returns :class:`NamedOutputs`, so ``outputs["state_c"]`` says
what it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from lstm_outputs.keras_import import import_keras
from lstm_outputs.shapes import LAYERS, returned_tensors
from lstm_outputs.validation import check_choice, check_inputs, check_size


@dataclass(frozen=True)
class NamedOutputs:
    """A recurrent layer's returned arrays, in Keras's order, each with its name.

    Iterating gives the arrays in Keras's order, so unpacking works as with the
    tuple Keras returns.

    >>> outputs = NamedOutputs(("last_hidden",), (np.zeros((1, 2)),))
    >>> outputs["last_hidden"].shape
    (1, 2)
    >>> outputs["state_c"]
    Traceback (most recent call last):
    ...
    KeyError: "state_c is not returned here; returned: ('last_hidden',)"
    """

    names: tuple[str, ...]
    values: tuple[np.ndarray, ...]

    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.names:
            raise KeyError(f"{name} is not returned here; returned: {self.names}")
        return self.values[self.names.index(name)]

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Each returned array's shape, by name."""
        return {name: value.shape for name, value in zip(self.names, self.values, strict=True)}


def build_layer(
    units: int,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    layer: str = "LSTM",
    bidirectional: bool = False,
    merge_mode: str | None = "concat",
    seed: int = 0,
    **layer_kwargs,
):
    """Build a Keras recurrent layer with seeded initialisers, so runs repeat.

    Extra keyword arguments go to the Keras layer (``kernel_initializer`` …).

    >>> build_layer(16, return_state=True).return_state
    True
    >>> build_layer(0)
    Traceback (most recent call last):
    ...
    ValueError: units must be a positive integer, got 0
    """
    returned_tensors(
        units,
        return_sequences=return_sequences,
        return_state=return_state,
        layer=layer,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
    )
    check_size("seed", seed, minimum=0)
    keras = import_keras()
    initialisers = {
        "kernel_initializer": keras.initializers.GlorotUniform(seed=seed),
        "recurrent_initializer": keras.initializers.Orthogonal(seed=seed + 1),
    }
    initialisers.update(layer_kwargs)
    layer_class = getattr(keras.layers, layer)
    recurrent = layer_class(
        units, return_sequences=return_sequences, return_state=return_state, **initialisers
    )
    if bidirectional:
        return keras.layers.Bidirectional(recurrent, merge_mode=merge_mode)
    return recurrent


def build_model(
    units: int,
    timesteps: int | None,
    features: int,
    *,
    batch: int | None = None,
    **layer_options,
):
    """A functional ``keras.Model`` from an ``Input`` to one recurrent layer's outputs.

    >>> model = build_model(16, 4, 10, return_sequences=True, return_state=True)
    >>> [tuple(t.shape) for t in model.outputs]
    [(None, 4, 16), (None, 16), (None, 16)]
    """
    check_size("timesteps", timesteps, allow_none=True)
    check_size("features", features)
    check_size("batch", batch, allow_none=True)
    keras = import_keras()
    inputs = keras.Input(shape=(timesteps, features), batch_size=batch)
    outputs = build_layer(units, **layer_options)(inputs)
    return keras.Model(inputs, outputs)


def symbolic_shapes(
    units: int, timesteps: int | None, features: int, *, batch: int | None = None, **options
) -> tuple[tuple[int | None, ...], ...]:
    """The shapes of the tensors Keras returns for a symbolic ``keras.Input``.

    >>> symbolic_shapes(16, 4, 10, return_state=True)
    ((None, 16), (None, 16), (None, 16))
    """
    model = build_model(units, timesteps, features, batch=batch, **options)
    return tuple(tuple(t.shape) for t in model.outputs)


def run_layer(
    inputs,
    units: int,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    layer: str = "LSTM",
    bidirectional: bool = False,
    merge_mode: str | None = "concat",
    seed: int = 0,
    **layer_kwargs,
) -> NamedOutputs:
    """Run a freshly built layer on ``inputs`` and return its outputs by name.

    >>> x = np.zeros((2, 4, 10), dtype="float32")
    >>> outputs = run_layer(x, 16, return_sequences=True, return_state=True)
    >>> outputs.shapes()
    {'sequence': (2, 4, 16), 'state_h': (2, 16), 'state_c': (2, 16)}
    """
    check_choice("layer", layer, LAYERS)
    values = check_inputs("inputs", inputs)
    options = dict(
        return_sequences=return_sequences,
        return_state=return_state,
        layer=layer,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
    )
    names = tuple(t.name for t in returned_tensors(units, **options))
    recurrent = build_layer(units, seed=seed, **options, **layer_kwargs)
    result = recurrent(values)
    arrays = result if isinstance(result, (tuple, list)) else (result,)
    return NamedOutputs(names, tuple(np.asarray(a) for a in arrays))
