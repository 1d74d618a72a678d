"""What ``lstm-outputs`` reports for a layer: its call, input, returned tensors and parameters,
as text or as a JSON-ready value. Pure Python: no TensorFlow import.

The JSON value, one schema for every layer the command knows::

    {"call": "LSTM(16, return_state=True)",
     "input": [null, 4, 10],
     "tensors": [{"name": "last_hidden", "shape": [null, 16], "meaning": "..."}, ...],
     "parameters": 1728}

``null`` is a size Keras leaves unknown (``None``), and ``parameters`` is ``null`` when the
input's features are unknown. An item of ``tensors`` that Keras returns as a list (an LSTM
cell's ``[h, c]`` inside ``RNN([cells])``) is a list of such objects, in Keras's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from lstm_outputs.configs import OutputConfig
from lstm_outputs.shapes import (
    CONV_LSTM_LAYERS,
    ReturnedTensor,
    Shape,
    conv_lstm_parameter_count,
    conv_lstm_tensors,
    format_shape,
    parameter_count,
    returned_tensors,
    rnn_cells,
    rnn_parameter_count,
    rnn_tensors,
)

#: A returned item: a tensor, or the tensors Keras returns together as one list.
Item = ReturnedTensor | tuple[ReturnedTensor, ...]


@dataclass(frozen=True)
class Report:
    """One layer's answer: the call that makes it, its input, what it returns, its size."""

    call: str
    input_shape: Shape
    returned: tuple[Item, ...]
    parameters: int | None

    def text(self) -> str:
        """The report as the command prints it: a heading, one row per tensor, the count.

        >>> print(recurrent_report(4, features=2).text())
        LSTM(4) on input (None, None, 2) returns 1 tensor:
          last_hidden  (None, 4)  hidden state after the last timestep, h_T
        parameters: 112
        """
        tensors = [t for item in self.returned for t in _members(item)]
        nested = any(isinstance(item, tuple) for item in self.returned)
        if len(self.returned) == 1:
            count = "1 tensor"
        else:
            count = f"a tuple of {len(self.returned)} {'items' if nested else 'tensors'}"
        lines = [f"{self.call} on input {format_shape(self.input_shape)} returns {count}:"]
        if nested:
            lines.append(f"  {unpacking(self.returned)} = layer(x)")
        name_width = max(len(t.name) for t in tensors)
        shape_width = max(len(t.shape_text) for t in tensors)
        lines += [
            f"  {t.name:<{name_width}}  {t.shape_text:<{shape_width}}  {t.meaning}" for t in tensors
        ]
        if self.parameters is not None:
            lines.append(f"parameters: {self.parameters}")
        return "\n".join(lines)

    def json_value(self) -> dict:
        """The report as the module's JSON schema (see above).

        >>> value = cells_report([2, 3], features=1, return_state=True).json_value()
        >>> value["input"], value["parameters"]
        ([None, None, 1], 104)
        >>> [t["name"] for t in value["tensors"][1]]
        ['cell0_h', 'cell0_c']
        """

        def tensor(t: ReturnedTensor) -> dict:
            return {"name": t.name, "shape": list(t.shape), "meaning": t.meaning}

        return {
            "call": self.call,
            "input": list(self.input_shape),
            "tensors": [
                [tensor(t) for t in item] if isinstance(item, tuple) else tensor(item)
                for item in self.returned
            ],
            "parameters": self.parameters,
        }


def _members(item: Item) -> tuple[ReturnedTensor, ...]:
    return item if isinstance(item, tuple) else (item,)


def unpacking(returned: tuple[Item, ...]) -> str:
    """The names of what a layer returns, nested as Python unpacks it.

    >>> unpacking(rnn_tensors([4, 5], return_state=True))
    'last_hidden, [cell0_h, cell0_c], [cell1_h, cell1_c]'
    """
    return ", ".join(
        f"[{', '.join(t.name for t in item)}]" if isinstance(item, tuple) else item.name
        for item in returned
    )


def recurrent_report(
    units: int,
    timesteps: int | None = None,
    features: int | None = None,
    *,
    batch: int | None = None,
    return_sequences: bool = False,
    return_state: bool = False,
    layer: str = "LSTM",
    bidirectional: bool = False,
    merge_mode: str | None = "concat",
    reset_after: bool = True,
) -> Report:
    """An ``LSTM``, ``GRU`` or ``SimpleRNN`` layer, bare or in ``Bidirectional``.

    >>> recurrent_report(16, layer="GRU", reset_after=False).call
    'GRU(16, reset_after=False)'
    """
    config = OutputConfig(return_sequences, return_state)
    returned = returned_tensors(
        units,
        timesteps,
        batch=batch,
        layer=layer,
        bidirectional=bidirectional,
        merge_mode=merge_mode,
        **config.flags,
    )
    call = config.keras_call(units, layer=layer)
    if not reset_after:
        call = call.removesuffix(")") + ", reset_after=False)"
    if bidirectional:
        call = f"Bidirectional({call}, merge_mode={merge_mode!r})"
    params = None
    if features is not None:
        params = parameter_count(
            units, features, layer=layer, bidirectional=bidirectional, reset_after=reset_after
        )
    return Report(call, (batch, timesteps, features), returned, params)


def conv_lstm_report(
    layer: str,
    filters: int,
    spatial: tuple[int, ...],
    channels: int | None = None,
    *,
    kernel_size: int | tuple[int, ...],
    timesteps: int | None = None,
    batch: int | None = None,
    strides: int | tuple[int, ...] = 1,
    padding: str = "valid",
    dilation_rate: int | tuple[int, ...] = 1,
    data_format: str = "channels_last",
    return_sequences: bool = False,
    return_state: bool = False,
) -> Report:
    """A ``ConvLSTM1D``, ``ConvLSTM2D`` or ``ConvLSTM3D`` layer on frames of size ``spatial``.

    ``channels`` may be unknown (``None``): the shapes do not depend on it, the parameter
    count does.

    >>> report = conv_lstm_report("ConvLSTM2D", 4, (8, 8), 3, kernel_size=3, strides=2,
    ...                           padding="same", timesteps=5, return_sequences=True)
    >>> report.call, report.input_shape, report.parameters
    ("ConvLSTM2D(4, 3, strides=2, padding='same', return_sequences=True)", (None, 5, 8, 8, 3), 1024)
    >>> report.returned[0].shape
    (None, 5, 4, 4, 4)
    """
    config = OutputConfig(return_sequences, return_state)
    returned = conv_lstm_tensors(
        filters,
        spatial,
        1 if channels is None else channels,
        kernel_size=kernel_size,
        timesteps=timesteps,
        strides=strides,
        padding=padding,
        dilation_rate=dilation_rate,
        data_format=data_format,
        batch=batch,
        layer=layer,
        **config.flags,
    )
    options = {
        "strides": (strides, 1),
        "padding": (padding, "valid"),
        "data_format": (data_format, "channels_last"),
        "dilation_rate": (dilation_rate, 1),
    }
    arguments = [str(filters), _axes(kernel_size)]
    arguments += [
        f"{name}={value!r}" if isinstance(value, str) else f"{name}={_axes(value)}"
        for name, (value, default) in options.items()
        if (value if isinstance(value, str) else _axes(value)) != str(default)
    ]
    arguments += [f"{flag}=True" for flag, on in config.flags.items() if on]
    frame = (*spatial, channels) if data_format == "channels_last" else (channels, *spatial)
    params = None
    if channels is not None:
        params = conv_lstm_parameter_count(
            filters, channels, kernel_size, rank=CONV_LSTM_LAYERS[layer]
        )
    return Report(f"{layer}({', '.join(arguments)})", (batch, timesteps, *frame), returned, params)


def _axes(value: object) -> str:
    """An int, or a tuple of ints written as Python writes it (one value: the int)."""
    if isinstance(value, (tuple, list)):
        return str(value[0]) if len(set(value)) == 1 else repr(tuple(value))
    return str(value)


def cells_report(
    cells: list,
    timesteps: int | None = None,
    features: int | None = None,
    *,
    batch: int | None = None,
    cell: str = "LSTM",
    return_sequences: bool = False,
    return_state: bool = False,
) -> Report:
    """``keras.layers.RNN`` over a list of cells, bottom first, each given by its units.

    >>> print(cells_report([16, 32], 4, 10, return_state=True).text())
    RNN([LSTMCell(16), LSTMCell(32)], return_state=True) on input (None, 4, 10) returns a tuple of 3 items:
      last_hidden, [cell0_h, cell0_c], [cell1_h, cell1_c] = layer(x)
      last_hidden  (None, 32)  top cell's hidden state at the last timestep
      cell0_h      (None, 16)  cell 0's last hidden state
      cell0_c      (None, 16)  cell 0's last cell state
      cell1_h      (None, 32)  cell 1's last hidden state
      cell1_c      (None, 32)  cell 1's last cell state
    parameters: 8000
    """
    config = OutputConfig(return_sequences, return_state)
    cells = list(cells)
    returned = rnn_tensors(cells, timesteps, batch=batch, cell=cell, **config.flags)
    _, parsed = rnn_cells(cells, cell)
    arguments = [f"[{', '.join(f'{kind}Cell({units})' for kind, units in parsed)}]"]
    arguments += [f"{flag}=True" for flag, on in config.flags.items() if on]
    params = None if features is None else rnn_parameter_count(cells, features, cell=cell)
    return Report(f"RNN({', '.join(arguments)})", (batch, timesteps, features), returned, params)
