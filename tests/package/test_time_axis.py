"""``time_axis_length``: one formula for Conv1D and MaxPooling1D, checked against Keras."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstm_outputs.shapes import time_axis_length

timesteps = st.none() | st.integers(min_value=1, max_value=16)
small = st.integers(min_value=1, max_value=5)

#: What the formula says when Keras would reject the sizes.
REJECTED = r"is larger than the input|cannot be combined with dilation_rate"


def assert_agrees(make_layer, steps, window, **options):
    """The formula gives Keras's time axis for input ``(None, steps, 2)``, or both reject it."""
    try:
        expected = make_layer().compute_output_shape((None, steps, 2))[1]
    except ValueError:
        with pytest.raises(ValueError, match=REJECTED):
            time_axis_length(steps, window, **options)
    else:
        assert time_axis_length(steps, window, **options) == expected


@given(
    steps=timesteps,
    kernel_size=small,
    strides=small,
    dilation_rate=small,
    padding=st.sampled_from(["valid", "same", "causal"]),
)
def test_conv1d_matches_keras(keras, steps, kernel_size, strides, dilation_rate, padding):
    options = dict(strides=strides, padding=padding, dilation_rate=dilation_rate)
    assert_agrees(
        lambda: keras.layers.Conv1D(3, kernel_size, **options), steps, kernel_size, **options
    )


@given(
    steps=timesteps,
    pool_size=small,
    strides=st.none() | small,
    padding=st.sampled_from(["valid", "same"]),
)
def test_max_pooling1d_matches_keras(keras, steps, pool_size, strides, padding):
    def make_layer():
        return keras.layers.MaxPooling1D(pool_size, strides=strides, padding=padding)

    assert_agrees(make_layer, steps, pool_size, strides=strides or pool_size, padding=padding)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (dict(padding="full"), "padding must be one of 'valid', 'same', 'causal', got 'full'"),
        (dict(strides=0), "strides must be a positive integer, got 0"),
        (dict(strides=2, dilation_rate=2), "strides > 1 cannot be combined with dilation_rate > 1"),
    ],
)
def test_bad_arguments_name_themselves(options, message):
    with pytest.raises(ValueError, match=message):
        time_axis_length(8, 3, **options)
