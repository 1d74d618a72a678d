"""Stream a trained LSTM one chunk at a time, the states carried by the program.

A model is trained on whole sequences (predict the next value of a noisy sine wave).
To serve it on a stream, where the samples arrive a few at a time, a *step model*
``(x_chunk, h, c) -> (y_chunk, h, c)`` is built from the trained layers: the LSTM is
called with ``initial_state=[h, c]`` and returns its final states, which the program
feeds back with the next chunk. No layer is stateful, so the same step model serves any
number of streams, and it converts to ONNX and LiteRT as it is.

The script asserts that chunks of any sizes give what the whole sequence gives at once,
and that a ``stateful=True`` twin with batch size 1, fed one step per call, agrees too.

Run it: ``python examples/streaming.py``.
"""

from __future__ import annotations

import keras
import numpy as np

STEPS, FEATURES, UNITS = 24, 1, 8
TRAIN, EPOCHS = 256, 3
SEED = 3
# Any split of the stream: the chunked run must equal the whole run.
CHUNKS = (5, 1, 7, 11)
# float32 rounding: the chunked and whole runs do the same operations in another order.
TOLERANCE = 1e-6


def sine_waves(count: int, seed: int = SEED):
    """Noisy sine waves (inputs) and the same waves one step ahead (targets)."""
    rng = np.random.default_rng(seed)
    phase = rng.uniform(0, 2 * np.pi, size=(count, 1))
    t = np.arange(STEPS + 1) * 0.3 + phase
    waves = np.sin(t) + 0.05 * rng.normal(size=t.shape)
    waves = waves[..., None].astype("float32")
    return waves[:, :-1], waves[:, 1:]


def trained_model():
    """An LSTM that returns its sequence and states; the model uses the sequence only."""
    keras.utils.set_random_seed(SEED)
    inputs = keras.Input(shape=(None, FEATURES), name="x")
    lstm = keras.layers.LSTM(
        UNITS, return_sequences=True, return_state=True, name="lstm"
    )
    sequence, _, _ = lstm(inputs)
    outputs = keras.layers.Dense(FEATURES, name="next_value")(sequence)
    model = keras.Model(inputs, outputs, name="forecaster")
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    x, y = sine_waves(TRAIN)
    history = model.fit(x, y, epochs=EPOCHS, batch_size=32, verbose=0)
    return model, history.history["loss"]


def step_model(trained: keras.Model) -> keras.Model:
    """``(x_chunk, h, c) -> (y_chunk, h, c)``: the trained layers, called by name."""
    x = keras.Input(shape=(None, FEATURES), name="x")
    h = keras.Input(shape=(UNITS,), name="h")
    c = keras.Input(shape=(UNITS,), name="c")
    sequence, h_next, c_next = trained.get_layer("lstm")(
        x, initial_state=[h, c]
    )
    y = trained.get_layer("next_value")(sequence)
    return keras.Model([x, h, c], [y, h_next, c_next], name="step")


def stream(step: keras.Model, x: np.ndarray, chunks=CHUNKS) -> np.ndarray:
    """Run ``x`` chunk by chunk, feeding the returned states back in."""
    h = c = np.zeros((len(x), UNITS), dtype="float32")
    outputs, start = [], 0
    for size in chunks:
        # Back to NumPy: Keras refuses a list that mixes arrays and tensors.
        y, h, c = (
            np.asarray(t) for t in step([x[:, start : start + size], h, c])
        )
        outputs.append(y)
        start += size
    assert start == x.shape[1], "the chunks must cover the sequence"
    return np.concatenate(outputs, axis=1)


def stateful_twin(trained: keras.Model) -> keras.Model:
    """The same weights in a ``stateful=True`` LSTM with batch size 1."""
    inputs = keras.Input(batch_size=1, shape=(None, FEATURES))
    lstm = keras.layers.LSTM(UNITS, return_sequences=True, stateful=True)
    outputs = keras.layers.Dense(FEATURES)(lstm(inputs))
    twin = keras.Model(inputs, outputs)
    twin.set_weights(trained.get_weights())
    return twin


def main():
    trained, losses = trained_model()
    step = step_model(trained)
    x, _ = sine_waves(2, seed=SEED + 1)  # two streams never trained on

    whole = np.asarray(trained(x))
    chunked = stream(step, x)
    np.testing.assert_allclose(chunked, whole, atol=TOLERANCE)

    twin = stateful_twin(trained)
    # predict_on_batch: one traced function for all the calls (a plain call
    # runs each step's operations one by one); the states stay in the layer.
    one_step_at_a_time = np.concatenate(
        [twin.predict_on_batch(x[:1, t : t + 1]) for t in range(STEPS)], axis=1
    )
    np.testing.assert_allclose(one_step_at_a_time, whole[:1], atol=TOLERANCE)

    print(f"trained {EPOCHS} epochs: loss {losses[0]:.3f} -> {losses[-1]:.3f}")
    print(f"step model: {[tuple(t.shape) for t in step.inputs]}")
    print(f"        ->  {[tuple(t.shape) for t in step.outputs]}")
    print(
        f"chunks {CHUNKS} == whole sequence of {STEPS} steps, to {TOLERANCE:g}"
    )
    print("stateful twin, batch 1, one step per call == whole sequence")
    return {
        "losses": losses,
        "whole": whole,
        "chunked": chunked,
        "stateful": one_step_at_a_time,
        "trained": trained,
        "step": step,
    }


if __name__ == "__main__":
    results = main()
