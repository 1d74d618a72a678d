"""The PyTorch page's NumPy ``numpy_lstm`` against real ``torch.nn.LSTM`` (``nox -s crosscheck``).

The function is read from the page itself (its visible code cell), so what a reader copies
is what is proven: stacked layers, bidirectional layers and packed sequences give the same
``output``, ``h_n`` and ``c_n`` as PyTorch, to 1e-6.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "pytorch-lstm.md"
TOLERANCE = 1e-6
CELL = re.compile(r"```\{code-cell\} ipython3\n(.*?)```", re.DOTALL)


def _page_numpy_lstm():
    """Execute the page's code cell that defines ``numpy_lstm``; return the function."""
    (source,) = [c for c in CELL.findall(PAGE.read_text()) if "def numpy_lstm(" in c]
    namespace: dict = {}
    exec(compile(source, str(PAGE), "exec"), namespace)  # noqa: S102 - our own page
    return namespace["numpy_lstm"]


numpy_lstm = _page_numpy_lstm()


def _torch_run(lstm, x, lengths=None):
    """Run ``lstm`` (batch_first) on x, packed when lengths are given; NumPy results."""
    with torch.no_grad():
        inputs = torch.from_numpy(x)
        if lengths is None:
            output, (h_n, c_n) = lstm(inputs)
        else:
            packed = torch.nn.utils.rnn.pack_padded_sequence(
                inputs, torch.tensor(lengths), batch_first=True, enforce_sorted=False
            )
            packed_output, (h_n, c_n) = lstm(packed)
            output, _ = torch.nn.utils.rnn.pad_packed_sequence(
                packed_output, batch_first=True, total_length=x.shape[1]
            )
    return output.numpy(), h_n.numpy(), c_n.numpy()


def _state_dict(lstm):
    return {k: v.detach().numpy().astype("float64") for k, v in lstm.state_dict().items()}


CASES = [  # num_layers, bidirectional, lengths (None: not packed)
    (2, False, None),
    (1, True, None),
    (2, True, None),
    (1, False, [6, 4, 2]),
    (2, True, [6, 4, 2]),
    (2, True, [3, 6, 1]),
]


@pytest.mark.parametrize(("num_layers", "bidirectional", "lengths"), CASES)
def test_page_equations_equal_torch(num_layers, bidirectional, lengths):
    torch.manual_seed(num_layers * 10 + bidirectional)
    lstm = torch.nn.LSTM(3, 5, num_layers=num_layers, bidirectional=bidirectional, batch_first=True)
    x = np.random.default_rng(0).normal(size=(3, 6, 3)).astype("float32")
    if lengths is not None:
        x *= (np.arange(6) < np.array(lengths)[:, None])[..., None]
    output, h_n, c_n = _torch_run(lstm, x, lengths)
    mine, (my_h_n, my_c_n) = numpy_lstm(
        x.astype("float64"), _state_dict(lstm), num_layers, bidirectional, lengths
    )
    assert h_n.shape == (num_layers * (1 + bidirectional), 3, 5)
    np.testing.assert_allclose(mine, output, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(my_h_n, h_n, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(my_c_n, c_n, atol=TOLERANCE, rtol=0)


def test_packed_h_n_is_each_sequences_last_valid_step():
    torch.manual_seed(3)
    lstm = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True)
    lengths = [6, 4, 2]
    x = np.random.default_rng(1).normal(size=(3, 6, 3)).astype("float32")
    output, h_n, _ = _torch_run(lstm, x, lengths)
    last = np.array(lengths) - 1
    np.testing.assert_array_equal(h_n[-2], output[np.arange(3), last, :5])
    np.testing.assert_array_equal(h_n[-1], output[:, 0, 5:])
    np.testing.assert_array_equal(output[2, 2:], 0)  # pad_packed_sequence's zeros


def test_batch_first_leaves_h_n_alone():
    torch.manual_seed(4)
    batch_major = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True)
    time_major = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    time_major.load_state_dict(batch_major.state_dict())
    x = np.random.default_rng(2).normal(size=(3, 6, 3)).astype("float32")
    _, h_n, c_n = _torch_run(batch_major, x)
    with torch.no_grad():
        _, (h_t, c_t) = time_major(torch.from_numpy(x.transpose(1, 0, 2).copy()))
    assert h_n.shape == tuple(h_t.shape) == (4, 3, 5)
    np.testing.assert_allclose(h_t.numpy(), h_n, atol=TOLERANCE, rtol=0)
    np.testing.assert_allclose(c_t.numpy(), c_n, atol=TOLERANCE, rtol=0)
