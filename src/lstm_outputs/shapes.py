"""Returned tensors and parameter counts, in pure Python: no TensorFlow import.

These answer instantly what Keras would build; the tests check every answer
against layers Keras really builds.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_outputs.configs import LAYERS, MERGE_MODES, OutputConfig, meaning
from lstm_outputs.validation import check_choice, check_flag, check_size

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class ReturnedTensor:
    """One tensor a recurrent layer returns: its name, shape and meaning."""

    name: str
    shape: Shape
    meaning: str

    @property
    def shape_text(self) -> str:
        """The shape as Keras prints it.

        >>> ReturnedTensor("state_c", (None, 16), "").shape_text
        '(None, 16)'
        """
        return format_shape(self.shape)


def format_shape(shape: Shape) -> str:
    """Format a shape like Python prints a tuple.

    >>> format_shape((None, 4, 16))
    '(None, 4, 16)'
    >>> format_shape((16,))
    '(16,)'
    """
    return repr(tuple(shape))


def state_names(layer: str = "LSTM") -> tuple[str, ...]:
    """Names of the states a layer carries between timesteps.

    >>> state_names("LSTM")
    ('state_h', 'state_c')
    >>> state_names("GRU")
    ('state_h',)
    """
    check_choice("layer", layer, LAYERS)
    return ("state_h", "state_c") if layer == "LSTM" else ("state_h",)


def returned_tensors(
    units: int,
    timesteps: int | None = None,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    batch: int | None = None,
    layer: str = "LSTM",
    bidirectional: bool = False,
    merge_mode: str | None = "concat",
) -> tuple[ReturnedTensor, ...]:
    """The tensors a recurrent layer returns, in Keras's order.

    ``timesteps`` and ``batch`` may be ``None`` (unknown), as in ``keras.Input``.

    >>> for t in returned_tensors(16, 4, return_sequences=True, return_state=True):
    ...     print(t.name, t.shape)
    sequence (None, 4, 16)
    state_h (None, 16)
    state_c (None, 16)
    >>> [t.name for t in returned_tensors(3, return_state=True, bidirectional=True)]
    ['last_hidden', 'forward_h', 'forward_c', 'backward_h', 'backward_c']
    """
    # Sizes and flags normalised to int and bool: a NumPy integer never reaches a shape.
    units = check_size("units", units)
    timesteps = check_size("timesteps", timesteps, allow_none=True)
    batch = check_size("batch", batch, allow_none=True)
    config = OutputConfig(return_sequences, return_state)
    return_sequences, return_state = config.return_sequences, config.return_state
    check_choice("layer", layer, LAYERS)
    bidirectional = check_flag("bidirectional", bidirectional)
    check_choice("merge_mode", merge_mode, MERGE_MODES)

    output_shape = (batch, timesteps, units) if return_sequences else (batch, units)
    output_name = config.returned_names[0]
    states = state_names(layer)
    if not bidirectional:
        outputs = [(output_name, output_shape)]
        state_list = [(name, (batch, units)) for name in states] if return_state else []
    else:
        outputs = _bidirectional_outputs(output_name, output_shape, merge_mode)
        state_list = []
        if return_state:
            for direction in ("forward", "backward"):
                for name in states:
                    state_list.append((f"{direction}_{name[-1]}", (batch, units)))
    return tuple(
        ReturnedTensor(
            name,
            shape,
            meaning(name, layer, bidirectional=bidirectional, merge_mode=merge_mode),
        )
        for name, shape in outputs + state_list
    )


def _bidirectional_outputs(name: str, shape: Shape, merge_mode: str | None):
    if merge_mode is None:
        return [(f"forward_{name}", shape), (f"backward_{name}", shape)]
    if merge_mode == "concat":
        shape = (*shape[:-1], 2 * shape[-1])
    return [(name, shape)]


def parameter_count(
    units: int,
    features: int,
    *,
    layer: str = "LSTM",
    bidirectional: bool = False,
    reset_after: bool = True,
) -> int:
    """Trainable parameters of a recurrent layer, from its formula.

    LSTM ``4·(U·(F+U)+U)``; GRU ``3·(U·(F+U)+2U)`` with ``reset_after``
    (Keras's default), ``3·(U·(F+U)+U)`` without; SimpleRNN ``U·(F+U)+U``.
    A Bidirectional wrapper holds two such layers.

    >>> parameter_count(16, 10)
    1728
    >>> parameter_count(1, 2)
    16
    >>> parameter_count(16, 10, layer="GRU")
    1344
    """
    units = check_size("units", units)
    features = check_size("features", features)
    check_choice("layer", layer, LAYERS)
    bidirectional = check_flag("bidirectional", bidirectional)
    reset_after = check_flag("reset_after", reset_after)
    weights = units * (features + units)
    if layer == "LSTM":
        count = 4 * (weights + units)
    elif layer == "GRU":
        count = 3 * (weights + (2 if reset_after else 1) * units)
    else:
        count = weights + units
    return 2 * count if bidirectional else count


#: Padding modes of ``Conv1D`` (``MaxPooling1D`` takes the first two).
TIME_PADDINGS = ("valid", "same", "causal")


def time_axis_length(
    timesteps: int | None,
    kernel_size: int,
    *,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> int | None:
    """Timesteps left after a ``Conv1D`` or ``MaxPooling1D`` (``kernel_size=pool_size``,
    ``strides=pool_size`` by default there).

    ``valid``: ``⌊(T − d·(k−1) − 1) / s⌋ + 1``; ``same`` and ``causal``: ``⌈T / s⌉``.
    An unknown ``T`` (``None``) stays unknown. Sizes Keras rejects raise ``ValueError``.

    >>> time_axis_length(10, 3)
    8
    >>> time_axis_length(10, 3, strides=2, padding="same")
    5
    >>> time_axis_length(10, 3, padding="causal", dilation_rate=4)
    10
    >>> time_axis_length(None, 3) is None
    True
    >>> time_axis_length(4, 3, dilation_rate=2)
    Traceback (most recent call last):
    ...
    ValueError: kernel_size=3 with dilation_rate=2 spans 5 steps, more than timesteps=4 (padding='valid')
    """
    timesteps = check_size("timesteps", timesteps, allow_none=True)
    kernel_size = check_size("kernel_size", kernel_size)
    strides = check_size("strides", strides)
    dilation_rate = check_size("dilation_rate", dilation_rate)
    check_choice("padding", padding, TIME_PADDINGS)
    if strides > 1 and dilation_rate > 1:
        raise ValueError(
            f"strides={strides} with dilation_rate={dilation_rate}: Keras allows only one above 1"
        )
    span = dilation_rate * (kernel_size - 1) + 1
    if timesteps is None:
        return None
    if padding != "valid":
        return (timesteps - 1) // strides + 1
    if span > timesteps:
        raise ValueError(
            f"kernel_size={kernel_size} with dilation_rate={dilation_rate} spans {span} steps, "
            f"more than timesteps={timesteps} (padding='valid')"
        )
    return (timesteps - span) // strides + 1
