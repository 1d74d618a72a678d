"""Whole PyTorch modules ⇄ Keras layers: stacked (``num_layers``) and bidirectional weights.

One ``nn.LSTM(F, U, num_layers=L, bidirectional=True)`` holds, for each layer ``k`` and
direction, ``weight_ih_l{k}``, ``weight_hh_l{k}``, ``bias_ih_l{k}`` and ``bias_hh_l{k}``, the
backward direction's ending in ``_reverse``. In Keras the same network is a list of ``L``
layers, each a ``Bidirectional`` (``merge_mode="concat"``) whose forward and backward layers
hold one direction each; ``Bidirectional.get_weights()`` lists the forward layer's weights,
then the backward layer's. Each direction converts as in :mod:`lstm_outputs.pytorch`.
NumPy only: Keras layers are read through ``get_weights()`` and ``get_config()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from lstm_outputs.pytorch import DIRECTION_ENTRIES, KERAS_TO_PYTORCH, PYTORCH_TO_KERAS
from lstm_outputs.validation import check_choice

#: A ``state_dict`` key of ``nn.LSTM``/``nn.GRU``/``nn.RNN``: entry, layer, direction.
KEY = re.compile(
    r"(?P<entry>weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(?P<layer>\d+)(?P<reverse>_reverse)?"
)
#: The PyTorch module for each Keras layer kind.
TORCH_MODULES = {"LSTM": "nn.LSTM", "GRU": "nn.GRU", "SimpleRNN": "nn.RNN"}
#: What a Keras layer must be set to for PyTorch's module to compute the same thing.
PYTORCH_COMPATIBLE = {
    "LSTM": {"activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True},
    "GRU": {
        "activation": "tanh",
        "recurrent_activation": "sigmoid",
        "use_bias": True,
        "reset_after": True,
    },
    "SimpleRNN": {"activation": "tanh", "use_bias": True},
}


@dataclass(frozen=True)
class StateDictLayout:
    """What a ``state_dict``'s keys say about its module: layers, directions, entries."""

    num_layers: int
    bidirectional: bool

    @property
    def suffixes(self) -> list[str]:
        """Every direction's key suffix, in PyTorch's order (layer by layer, forward first).

        >>> StateDictLayout(2, True).suffixes
        ['l0', 'l0_reverse', 'l1', 'l1_reverse']
        """
        directions = ("", "_reverse") if self.bidirectional else ("",)
        return [f"l{k}{d}" for k in range(self.num_layers) for d in directions]

    @property
    def keys(self) -> list[str]:
        """Every key the module's ``state_dict`` holds."""
        return [f"{entry}_{suffix}" for suffix in self.suffixes for entry in DIRECTION_ENTRIES]


def state_dict_layout(state_dict: Mapping[str, object], *, layer: str = "LSTM") -> StateDictLayout:
    """The layers and directions a ``state_dict`` holds; bad keys refused, naming the key.

    >>> keys = StateDictLayout(2, True).keys
    >>> state_dict_layout(dict.fromkeys(keys))
    StateDictLayout(num_layers=2, bidirectional=True)
    >>> state_dict_layout(dict.fromkeys(keys[:-1]))
    Traceback (most recent call last):
    ...
    KeyError: "state_dict has no 'bias_hh_l1_reverse' (an nn.LSTM with num_layers=2, bidirectional=True has 16 entries)"
    >>> state_dict_layout(dict.fromkeys([*keys, "weight_hr_l0"]))
    Traceback (most recent call last):
    ...
    ValueError: state_dict has 'weight_hr_l0': an nn.LSTM with proj_size > 0 projects h_t, and no Keras layer does, so it has no Keras equivalent
    """
    check_choice("layer", layer, TORCH_MODULES)
    if not state_dict:
        raise KeyError(f"state_dict is empty: expected the entries of an {TORCH_MODULES[layer]}")
    layers, reverse = set(), False
    for key in state_dict:
        match = KEY.fullmatch(str(key))
        if match is None:
            raise ValueError(
                f"state_dict has an unexpected key {key!r}: an {TORCH_MODULES[layer]} holds "
                "weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ... (pass prefix= for a "
                "model's state_dict)"
            )
        if match["entry"] == "weight_hr":
            raise ValueError(
                f"state_dict has {key!r}: an nn.LSTM with proj_size > 0 projects h_t, and no "
                "Keras layer does, so it has no Keras equivalent"
            )
        layers.add(int(match["layer"]))
        reverse = reverse or bool(match["reverse"])
    layout = StateDictLayout(max(layers) + 1, reverse)
    for key in layout.keys:
        if key not in state_dict:
            raise KeyError(
                f"state_dict has no {key!r} (an {TORCH_MODULES[layer]} with num_layers="
                f"{layout.num_layers}, bidirectional={layout.bidirectional} has "
                f"{len(layout.keys)} entries)"
            )
    return layout


def pytorch_to_keras_layers(
    state_dict: Mapping[str, object], *, layer: str = "LSTM", prefix: str = ""
) -> list[list[np.ndarray]]:
    """A whole ``nn.LSTM``/``nn.GRU``/``nn.RNN`` ``state_dict`` → one weight list per Keras layer.

    Item ``k`` is what layer ``k`` of the Keras stack takes in ``set_weights``: three
    arrays, or six for a ``Bidirectional`` (forward, then backward). ``prefix`` picks one
    module's entries out of a model's ``state_dict`` (``"encoder.lstm."``); values may be
    NumPy arrays or CPU tensors. The shapes must fit one ``hidden_size`` and layer ``k``
    must read what layer ``k - 1`` returns; a bad entry is named.

    >>> from lstm_outputs.pytorch import keras_to_pytorch
    >>> state = keras_to_pytorch(np.ones((3, 8)), np.ones((2, 8)), np.ones(8), suffix="l0")
    >>> state |= keras_to_pytorch(np.ones((2, 8)), np.ones((2, 8)), np.ones(8), suffix="l1")
    >>> [[w.shape for w in weights] for weights in pytorch_to_keras_layers(state)]
    [[(3, 8), (2, 8), (8,)], [(2, 8), (2, 8), (8,)]]
    >>> state["weight_ih_l1"] = np.ones((8, 5))
    >>> pytorch_to_keras_layers(state)
    Traceback (most recent call last):
    ...
    ValueError: weight_ih_l1 must have shape (8, 2) (layer 1 reads layer 0's 2 values per step), got (8, 5)
    """
    check_choice("layer", layer, TORCH_MODULES)
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a string, got {prefix!r}")
    if prefix:
        state_dict = {k[len(prefix) :]: v for k, v in state_dict.items() if k.startswith(prefix)}
        if not state_dict:
            raise KeyError(f"state_dict has no key starting with prefix {prefix!r}")
    layout = state_dict_layout(state_dict, layer=layer)
    convert = PYTORCH_TO_KERAS[layer]
    directions = 2 if layout.bidirectional else 1
    per_layer: list[list[np.ndarray]] = [[] for _ in range(layout.num_layers)]
    units = None
    for index, suffix in enumerate(layout.suffixes):
        k = index // directions
        weights = convert(state_dict, suffix=suffix)
        kernel, recurrent_kernel = weights[0], weights[1]
        if units is None:
            units = recurrent_kernel.shape[0]
        elif recurrent_kernel.shape[0] != units:
            shape = np.shape(state_dict[f"weight_hh_{suffix}"])
            raise ValueError(
                f"weight_hh_{suffix} has shape {shape}: its hidden size "
                f"{recurrent_kernel.shape[0]} differs from weight_hh_l0's {units}"
            )
        if k > 0 and kernel.shape[0] != directions * units:
            gates = kernel.shape[1] // units
            raise ValueError(
                f"weight_ih_{suffix} must have shape {(gates * units, directions * units)} "
                f"(layer {k} reads layer {k - 1}'s {directions * units} values per step), "
                f"got {np.shape(state_dict[f'weight_ih_{suffix}'])}"
            )
        per_layer[k].extend(weights)
    return per_layer


def _directions(keras_layer: object) -> tuple[str, list[object], str | None]:
    """The layer kind, its one or two direction layers and a Bidirectional's merge mode."""
    kind = type(keras_layer).__name__
    if kind == "Bidirectional":
        merge_mode = getattr(keras_layer, "merge_mode", "concat")
        directions = [keras_layer.forward_layer, keras_layer.backward_layer]
        kinds = {type(d).__name__ for d in directions}
        if len(kinds) != 1:
            raise ValueError(f"a Bidirectional with two layer kinds ({sorted(kinds)}) has no "
                             "PyTorch module")  # fmt: skip
        return kinds.pop(), directions, merge_mode
    return kind, [keras_layer], None


def keras_layers_to_pytorch(layers: object | Iterable[object]) -> dict[str, np.ndarray]:
    """Keras layers (a layer, a ``Bidirectional``, or a stack of them) → one PyTorch ``state_dict``.

    The stack ``[layer_0, layer_1, ...]`` becomes one module with ``num_layers=len(layers)``:
    every layer the same kind and ``units`` and every one bidirectional or none, the
    Bidirectional layers below the top one with ``merge_mode="concat"``, and each layer set
    up as PyTorch computes it (``activation="tanh"``, a bias; a GRU with ``reset_after``).
    Anything else raises one error naming the layer. Load the result with
    ``module.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()})``.

    >>> from lstm_outputs.keras_import import import_keras
    >>> keras = import_keras()
    >>> stack = [
    ...     keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True)),
    ...     keras.layers.Bidirectional(keras.layers.GRU(4)),
    ... ]
    >>> model = keras.Sequential([keras.Input((5, 3)), *stack])
    >>> state = keras_layers_to_pytorch(stack)  # nn.GRU(3, 4, num_layers=2, bidirectional=True)
    >>> len(state), state["weight_ih_l1_reverse"].shape
    (16, (12, 8))
    >>> keras_layers_to_pytorch([stack[0], keras.layers.LSTM(4)])
    Traceback (most recent call last):
    ...
    ValueError: layers[1] (LSTM) is LSTM(4), layers[0] Bidirectional(GRU(4)): one nn.GRU has one layer kind, hidden_size and direction count
    """
    stack = list(layers) if isinstance(layers, (list, tuple)) else [layers]
    if not stack:
        raise ValueError("layers is empty: pass a Keras layer or a list of them")
    state: dict[str, np.ndarray] = {}
    first = None
    for k, keras_layer in enumerate(stack):
        kind, directions, merge_mode = _directions(keras_layer)
        where = f"layers[{k}] ({type(keras_layer).__name__})"
        if kind not in KERAS_TO_PYTORCH:
            raise ValueError(f"{where} is not an LSTM, GRU or SimpleRNN layer")
        _check_compatible(where, kind, directions[0])
        units = int(directions[0].units)
        shape = (kind, units, len(directions))
        if first is None:
            first = shape
        elif shape != first:
            raise ValueError(
                f"{where} is {_describe(*shape)}, layers[0] {_describe(*first)}: one "
                f"{TORCH_MODULES[first[0]]} has one layer kind, hidden_size and direction count"
            )
        if merge_mode is not None and merge_mode != "concat" and k < len(stack) - 1:
            raise ValueError(
                f"{where} has merge_mode={merge_mode!r}: a PyTorch module feeds the next layer "
                "both directions side by side, merge_mode='concat'"
            )
        for direction, reverse in zip(directions, ("", "_reverse"), strict=False):
            weights = direction.get_weights()
            if k > 0 and np.shape(weights[0])[0] != len(directions) * units:
                raise ValueError(
                    f"{where} reads {np.shape(weights[0])[0]} features per step, but "
                    f"layers[{k - 1}] returns {len(directions) * units}"
                )
            state |= KERAS_TO_PYTORCH[kind](*weights, suffix=f"l{k}{reverse}")
    return state


def _check_compatible(where: str, kind: str, keras_layer: object) -> None:
    """Refuse a layer whose activations or biases PyTorch's module cannot reproduce."""
    config = keras_layer.get_config() if hasattr(keras_layer, "get_config") else {}
    for option, wanted in PYTORCH_COMPATIBLE[kind].items():
        value = config.get(option, wanted)
        if value != wanted:
            raise ValueError(
                f"{where} has {option}={value!r}: {TORCH_MODULES[kind]} computes {kind} only "
                f"with {option}={wanted!r}"
            )


def _describe(kind: str, units: int, directions: int) -> str:
    return f"Bidirectional({kind}({units}))" if directions == 2 else f"{kind}({units})"
