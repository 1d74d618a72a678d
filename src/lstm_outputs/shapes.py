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


#: Padding modes of ``Conv1D``; ``MaxPooling1D`` and the ConvLSTM layers take the first two.
TIME_PADDINGS = ("valid", "same", "causal")
#: The convolutional LSTM layers, by the number of spatial axes they convolve.
CONV_LSTM_LAYERS = {"ConvLSTM1D": 1, "ConvLSTM2D": 2, "ConvLSTM3D": 3}
#: The paddings a ConvLSTM layer accepts, and where its channels axis is.
PADDINGS = TIME_PADDINGS[:2]
DATA_FORMATS = ("channels_last", "channels_first")


def conv_output_length(
    length: int | None,
    kernel_size: int,
    *,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
    paddings: tuple[str, ...] = PADDINGS,
) -> int | None:
    """The length of one axis after a convolution or a pooling window, as Keras computes it:
    the one formula for a ConvLSTM layer's frames and a ``Conv1D``'s or ``MaxPooling1D``'s
    timesteps (:func:`time_axis_length`).

    ``"valid"``: ``⌊(n − d·(k−1) − 1) / s⌋ + 1``; ``"same"`` and ``"causal"``: ``⌈n / s⌉``.
    An unknown length (``None``) stays unknown. ``paddings`` are those the layer accepts.

    >>> conv_output_length(8, 3)
    6
    >>> conv_output_length(8, 3, strides=2, padding="same")
    4
    >>> conv_output_length(8, 3, dilation_rate=2)
    4
    >>> conv_output_length(2, 3)
    Traceback (most recent call last):
    ...
    ValueError: kernel_size 3 (dilation_rate 1) is larger than the input's 2 with padding='valid'
    """
    length = check_size("length", length, allow_none=True)
    kernel_size = check_size("kernel_size", kernel_size)
    strides = check_size("strides", strides)
    dilation_rate = check_size("dilation_rate", dilation_rate)
    check_choice("padding", padding, paddings)
    if length is None:
        return None
    if padding != "valid":
        return (length - 1) // strides + 1
    span = dilation_rate * (kernel_size - 1) + 1
    if span > length:
        raise ValueError(
            f"kernel_size {kernel_size} (dilation_rate {dilation_rate}) is larger than "
            f"the input's {length} with padding='valid'"
        )
    return (length - span) // strides + 1


def time_axis_length(
    timesteps: int | None,
    kernel_size: int,
    *,
    strides: int = 1,
    padding: str = "valid",
    dilation_rate: int = 1,
) -> int | None:
    """Timesteps left after a ``Conv1D`` or ``MaxPooling1D`` (``kernel_size=pool_size``,
    ``strides=pool_size`` by default there): :func:`conv_output_length` on the time axis.

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
    ValueError: kernel_size 3 (dilation_rate 2) is larger than the input's 4 with padding='valid'
    >>> time_axis_length(8, 3, strides=2, dilation_rate=2)
    Traceback (most recent call last):
    ...
    ValueError: strides > 1 cannot be combined with dilation_rate > 1, got strides=2 and dilation_rate=2
    """
    (strides,), (dilation_rate,) = strides_and_dilation(strides, dilation_rate, rank=1)
    return conv_output_length(
        check_size("timesteps", timesteps, allow_none=True),
        kernel_size,
        strides=strides,
        padding=padding,
        dilation_rate=dilation_rate,
        paddings=TIME_PADDINGS,
    )


def _per_axis(name: str, value: object, rank: int) -> tuple[int, ...]:
    """An int or a tuple of ``rank`` ints, as the tuple Keras standardises it to."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * rank
    if len(values) != rank:
        expected = "an integer" if rank == 1 else f"an integer or {rank} integers"
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return tuple(check_size(name, v) for v in values)


def strides_and_dilation(
    strides: int | tuple[int, ...], dilation_rate: int | tuple[int, ...], *, rank: int
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Strides and dilation rates per axis, checked as Keras checks a convolution's:
    strides above 1 on any axis exclude a dilation rate above 1 on any axis.

    >>> strides_and_dilation(2, 1, rank=2)
    ((2, 2), (1, 1))
    >>> strides_and_dilation((1, 2), (2, 1), rank=2)
    Traceback (most recent call last):
    ...
    ValueError: strides > 1 cannot be combined with dilation_rate > 1, got strides=(1, 2) and dilation_rate=(2, 1)
    """
    steps = _per_axis("strides", strides, rank)
    dilation = _per_axis("dilation_rate", dilation_rate, rank)
    if max(steps) > 1 and max(dilation) > 1:
        raise ValueError(
            f"strides > 1 cannot be combined with dilation_rate > 1, got strides={strides!r} "
            f"and dilation_rate={dilation_rate!r}"
        )
    return steps, dilation


def _conv_lstm_rank(layer: str | None, spatial: object) -> tuple[int | None, ...]:
    """The spatial sizes, checked against the layer's number of spatial axes."""
    if not isinstance(spatial, (tuple, list)) or not 1 <= len(spatial) <= 3:
        raise ValueError(f"spatial must be 1 to 3 sizes, got {spatial!r}")
    sizes = tuple(check_size("spatial", s, allow_none=True) for s in spatial)
    if layer is not None:
        check_choice("layer", layer, CONV_LSTM_LAYERS)
        if CONV_LSTM_LAYERS[layer] != len(sizes):
            raise ValueError(
                f"spatial must have {CONV_LSTM_LAYERS[layer]} sizes for {layer}, got {spatial!r}"
            )
    if None in sizes:
        # Keras builds ConvLSTM weights for one frame size only.
        raise ValueError(f"spatial sizes must be known for a ConvLSTM layer, got {spatial!r}")
    return sizes


def conv_lstm_tensors(
    filters: int,
    spatial: tuple[int, ...],
    channels: int,
    *,
    kernel_size: int | tuple[int, ...],
    timesteps: int | None = None,
    strides: int | tuple[int, ...] = 1,
    padding: str = "valid",
    dilation_rate: int | tuple[int, ...] = 1,
    data_format: str = "channels_last",
    return_sequences: bool = False,
    return_state: bool = False,
    batch: int | None = None,
    layer: str | None = None,
) -> tuple[ReturnedTensor, ...]:
    """The tensors ``ConvLSTM1D``/``2D``/``3D`` returns, in Keras's order.

    The input is ``(batch, timesteps, *spatial, channels)`` (``channels_first``:
    ``(batch, timesteps, channels, *spatial)``); every returned tensor has the
    ``filters`` channels and the convolution's output size on each spatial axis.
    The layer is the one with ``len(spatial)`` axes; ``layer`` checks it.

    >>> for t in conv_lstm_tensors(4, (8, 8), 3, kernel_size=3, timesteps=5,
    ...                            return_sequences=True, return_state=True):
    ...     print(t.name, t.shape)
    sequence (None, 5, 6, 6, 4)
    state_h (None, 6, 6, 4)
    state_c (None, 6, 6, 4)
    >>> [t.shape for t in conv_lstm_tensors(4, (9,), 2, kernel_size=3, strides=2,
    ...                                     padding="same", data_format="channels_first")]
    [(None, 4, 5)]
    >>> conv_lstm_tensors(4, (8, 8), 3, kernel_size=3, layer="ConvLSTM3D")
    Traceback (most recent call last):
    ...
    ValueError: spatial must have 3 sizes for ConvLSTM3D, got (8, 8)
    """
    filters = check_size("filters", filters)
    sizes = _conv_lstm_rank(layer, spatial)
    rank = len(sizes)
    check_size("channels", channels)
    kernel = _per_axis("kernel_size", kernel_size, rank)
    steps, dilation = strides_and_dilation(strides, dilation_rate, rank=rank)
    check_choice("padding", padding, PADDINGS)
    check_choice("data_format", data_format, DATA_FORMATS)
    timesteps = check_size("timesteps", timesteps, allow_none=True)
    batch = check_size("batch", batch, allow_none=True)
    config = OutputConfig(return_sequences, return_state)
    out = tuple(
        conv_output_length(n, k, strides=s, padding=padding, dilation_rate=d)
        for n, k, s, d in zip(sizes, kernel, steps, dilation, strict=True)
    )
    frame = (*out, filters) if data_format == "channels_last" else (filters, *out)
    shapes = {"last_hidden": (batch, *frame), "sequence": (batch, timesteps, *frame)}
    shapes["state_h"] = shapes["state_c"] = (batch, *frame)
    return tuple(ReturnedTensor(n, shapes[n], meaning(n)) for n in config.returned_names)


def conv_lstm_parameter_count(
    filters: int, channels: int, kernel_size: int | tuple[int, ...], *, rank: int = 2
) -> int:
    """Trainable parameters of a ConvLSTM layer: ``4·(K·(C+F)·F + F)``.

    ``K`` is the kernel's size (the product of ``kernel_size`` over the ``rank``
    spatial axes), ``C`` the input's channels and ``F`` the filters: a kernel and a
    recurrent kernel for each of the four gates, and a bias. Strides, padding,
    dilation and the frame size never change it.

    >>> conv_lstm_parameter_count(4, 3, 3)
    1024
    >>> conv_lstm_parameter_count(8, 1, (3, 5), rank=2)
    4352
    """
    filters = check_size("filters", filters)
    channels = check_size("channels", channels)
    if check_size("rank", rank) > 3:
        raise ValueError(f"rank must be 1, 2 or 3, got {rank!r}")
    kernel = 1
    for k in _per_axis("kernel_size", kernel_size, rank):
        kernel *= k
    return 4 * (kernel * (channels + filters) * filters + filters)


#: What ``RNN`` over a list of cells returns: the top cell's output, and each cell's states
#: (``{index}``: the cell's place, bottom first, from 0).
STACKED_MEANINGS = {
    "last_hidden": "top cell's hidden state at the last timestep",
    "sequence": "top cell's hidden state at every timestep",
    "state_h": "cell {index}'s last hidden state",
    "state_c": "cell {index}'s last cell state",
}
#: The name of a cell's state in :func:`rnn_tensors` (``state``: ``h`` or ``c``).
CELL_STATE_NAME = "cell{index}_{state}"


def rnn_cells(
    cells: int | tuple | list, cell: str = "LSTM"
) -> tuple[bool, tuple[tuple[str, int], ...]]:
    """Whether ``cells`` is a list, and each cell as ``(layer kind, units)``, bottom first.

    ``cells`` is one cell (``RNN(LSTMCell(16))``) or a list of them
    (``RNN([LSTMCell(16), LSTMCell(32)])``); a cell is its units, or ``(kind, units)`` to
    mix kinds. ``cell`` is the kind of the cells given by units alone.

    >>> rnn_cells(16)
    (False, (('LSTM', 16),))
    >>> rnn_cells([16, ("GRU", 32)])
    (True, (('LSTM', 16), ('GRU', 32)))
    >>> rnn_cells(("GRU", 8))
    (False, (('GRU', 8),))
    >>> rnn_cells([16, "32"])
    Traceback (most recent call last):
    ...
    TypeError: cells must be an integer, got '32' (str)
    """
    check_choice("cell", cell, LAYERS)
    one_cell = isinstance(cells, tuple) and len(cells) == 2 and isinstance(cells[0], str)
    stacked = isinstance(cells, (list, tuple)) and not one_cell
    items = list(cells) if stacked else [cells]
    if not items:
        raise ValueError("cells must not be an empty list")
    parsed = []
    for item in items:
        kind, units = item if isinstance(item, tuple) and len(item) == 2 else (cell, item)
        check_choice("cell", kind, LAYERS)
        parsed.append((kind, check_size("cells", units)))
    return stacked, tuple(parsed)


def rnn_tensors(
    cells: int | tuple | list,
    timesteps: int | None = None,
    *,
    return_sequences: bool = False,
    return_state: bool = False,
    batch: int | None = None,
    cell: str = "LSTM",
) -> tuple:
    """What ``keras.layers.RNN`` over ``cells`` returns, nested as Keras nests it.

    One cell (``RNN(LSTMCell(U))``) returns what its layer (``LSTM(U)``) returns. A list
    of cells (or ``StackedRNNCells``) runs them as a stack and returns the top cell's
    output, then one item per cell, bottom first, at its own width: a list ``[h, c]``
    for an LSTM cell, the bare ``h`` for a GRU or SimpleRNN cell.

    >>> out, first, second = rnn_tensors([16, 32], 4, return_state=True)
    >>> out.shape, [s.shape for s in first], [s.name for s in second]
    ((None, 32), [(None, 16), (None, 16)], ['cell1_h', 'cell1_c'])
    >>> nested_shapes(rnn_tensors([8, ("GRU", 4)], return_state=True))
    ((None, 4), [(None, 8), (None, 8)], (None, 4))
    """
    stacked, parsed = rnn_cells(cells, cell)
    timesteps = check_size("timesteps", timesteps, allow_none=True)
    batch = check_size("batch", batch, allow_none=True)
    config = OutputConfig(return_sequences, return_state)
    if not stacked:
        kind, units = parsed[0]
        return returned_tensors(units, timesteps, batch=batch, layer=kind, **config.flags)
    top = parsed[-1][1]
    name = config.returned_names[0]
    shape = (batch, timesteps, top) if config.return_sequences else (batch, top)
    returned: list = [ReturnedTensor(name, shape, STACKED_MEANINGS[name])]
    if config.return_state:
        for index, (kind, units) in enumerate(parsed):
            states = tuple(
                ReturnedTensor(
                    CELL_STATE_NAME.format(index=index, state=s[-1]),
                    (batch, units),
                    STACKED_MEANINGS[s].format(index=index),
                )
                for s in state_names(kind)
            )
            returned.append(states if len(states) > 1 else states[0])
    return tuple(returned)


def nested_shapes(returned: tuple) -> tuple:
    """The shapes of what :func:`rnn_tensors` returns, nested as Keras nests its tensors
    (a cell's list of states as a list).

    >>> nested_shapes(rnn_tensors([3], return_state=True))
    ((None, 3), [(None, 3), (None, 3)])
    """
    return tuple(
        [t.shape for t in item] if isinstance(item, tuple) else item.shape for item in returned
    )


def rnn_parameter_count(cells: int | tuple | list, features: int, *, cell: str = "LSTM") -> int:
    """Trainable parameters of ``RNN`` over ``cells``: each cell's layer formula, its input
    the width of the cell below (the first cell's, ``features``).

    >>> rnn_parameter_count([16, 32], 10) == parameter_count(16, 10) + parameter_count(32, 16)
    True
    """
    _, parsed = rnn_cells(cells, cell)
    width = check_size("features", features)
    total = 0
    for kind, units in parsed:
        total += parameter_count(units, width, layer=kind)
        width = units
    return total
