"""What a Keras LSTM layer returns, computed: shapes, configurations, real layers.

``import lstm_outputs`` does not import TensorFlow; the functions that build
real layers import Keras when they are first called.
"""

from importlib.metadata import PackageNotFoundError, version

from lstm_outputs.configs import CONFIGS, MEANINGS, OutputConfig, meaning
from lstm_outputs.shapes import ReturnedTensor, parameter_count, returned_tensors

try:
    __version__ = version("lstm-outputs")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

_LAZY = {
    "NamedOutputs": "lstm_outputs.models",
    "build_layer": "lstm_outputs.models",
    "build_model": "lstm_outputs.models",
    "run_layer": "lstm_outputs.models",
    "symbolic_shapes": "lstm_outputs.models",
    "lstm_forward": "lstm_outputs.reference",
    "lstm_forward_from_layer": "lstm_outputs.reference",
    "import_keras": "lstm_outputs.keras_import",
}

__all__ = [
    "CONFIGS",
    "MEANINGS",
    "NamedOutputs",
    "OutputConfig",
    "ReturnedTensor",
    "build_layer",
    "build_model",
    "import_keras",
    "lstm_forward",
    "lstm_forward_from_layer",
    "meaning",
    "parameter_count",
    "returned_tensors",
    "run_layer",
    "symbolic_shapes",
]


def __getattr__(name: str):
    # Imported on first use so that `import lstm_outputs` stays free of NumPy and TensorFlow.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lstm_outputs' has no attribute {name!r}")
