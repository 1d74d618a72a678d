"""Encoder–decoder LSTM: the encoder's final states become the decoder's initial state.

The task is reverse-the-sequence: read 4 symbols out of 8 and write them back
reversed. Two models learn it from the same batches (one fit trains both, side
by side) and are scored on sequences they never saw:

* **states**: ``LSTM(return_state=True)`` encodes; its ``[state_h, state_c]`` is passed as
  ``initial_state`` to a decoder LSTM that is fed the previous target symbol while training
  (teacher forcing) and its own previous prediction when decoding.
* **repeat**: the encoder's last hidden state is repeated once per output step
  (``RepeatVector``) and read by a second LSTM whose every step goes through the same
  ``Dense`` softmax (``TimeDistributed``) — the layers Murat Karakaya's tutorial
  "LSTM: Understanding Output Types" imports.

Run it: ``python examples/encoder_decoder.py``. It asserts that both models reverse unseen
sequences and prints a few decoded examples.
"""

from __future__ import annotations

import keras
import numpy as np

# The task's sizes: sequences of 4 symbols from a vocabulary of 8.
TIMESTEPS, SYMBOLS = 4, 8
# An extra "start" token the decoder reads before its first output.
START = SYMBOLS
UNITS = 64
# Every LSTM here takes unroll=True: on 4 fixed steps, the steps written out
# one after another are quicker to set up and to train than a loop over them.
# Disjoint: the test sequences are never trained on.
TRAIN, TEST = 2000, 500
# The same budget for both models. BATCH divides TRAIN: a smaller last batch
# would make TensorFlow trace the training step a second time.
EPOCHS, BATCH = 10, 125
SEED = 1


def make_data(seed: int = SEED):
    """Disjoint train and test sets: each sequence appears at most once."""
    rng = np.random.default_rng(seed)
    codes = rng.choice(SYMBOLS**TIMESTEPS, size=TRAIN + TEST, replace=False)
    powers = SYMBOLS ** np.arange(TIMESTEPS)[::-1]
    sources = (codes[:, None] // powers) % SYMBOLS
    targets = sources[:, ::-1]  # the task: reverse the sequence
    train = sources[:TRAIN], targets[:TRAIN]
    test = sources[TRAIN:], targets[TRAIN:]
    return train, test


def one_hot(symbols, depth: int = SYMBOLS):
    return np.eye(depth, dtype="float32")[symbols]


def decoder_inputs(targets):
    """Teacher forcing: START, then the target shifted right by one."""
    shifted = np.concatenate(
        [np.full((len(targets), 1), START), targets[:, :-1]], axis=1
    )
    return one_hot(shifted, SYMBOLS + 1)


def states_model():
    """Encoder states -> decoder initial_state: the model and its parts."""
    encoder_in = keras.Input(shape=(TIMESTEPS, SYMBOLS), name="source")
    _, state_h, state_c = keras.layers.LSTM(
        UNITS, return_state=True, unroll=True, name="encoder"
    )(encoder_in)

    decoder_in = keras.Input(
        shape=(TIMESTEPS, SYMBOLS + 1), name="previous_symbol"
    )
    decoder = keras.layers.LSTM(
        UNITS,
        return_sequences=True,
        return_state=True,
        unroll=True,
        name="decoder",
    )
    sequence, _, _ = decoder(decoder_in, initial_state=[state_h, state_c])
    readout = keras.layers.Dense(SYMBOLS, activation="softmax", name="readout")
    model = keras.Model(
        [encoder_in, decoder_in], readout(sequence), name="states"
    )
    encoder = keras.Model(encoder_in, [state_h, state_c], name="encoder_only")
    return model, encoder, decoder, readout


def decode(encoder, decoder, readout, sources):
    """Greedy decoding: each step reads the previous prediction."""
    state_h, state_c = encoder(one_hot(sources))
    previous = np.full(len(sources), START)
    predicted = []
    for _ in range(TIMESTEPS):
        step = one_hot(previous, SYMBOLS + 1)[:, None, :]
        sequence, state_h, state_c = decoder(
            step, initial_state=[state_h, state_c]
        )
        previous = np.argmax(readout(sequence)[:, 0], axis=-1)
        predicted.append(previous)
    return np.stack(predicted, axis=1)


def repeat_model():
    """The RepeatVector variant: h_T is fed to every decoder step."""
    return keras.Sequential(
        [
            keras.Input(shape=(TIMESTEPS, SYMBOLS)),
            keras.layers.LSTM(UNITS, unroll=True),
            keras.layers.RepeatVector(TIMESTEPS),
            keras.layers.LSTM(UNITS, return_sequences=True, unroll=True),
            keras.layers.TimeDistributed(
                keras.layers.Dense(SYMBOLS, activation="softmax")
            ),
        ],
        name="repeat",
    )


def side_by_side(model, repeat):
    """Both models in one, on the same batches, so that one fit trains both.

    They share no weights: each learns from its own loss alone, as in a fit
    of its own.
    """
    source, previous_symbol = model.inputs
    outputs = {
        "states": model([source, previous_symbol]),
        "repeat": repeat(source),
    }
    return keras.Model([source, previous_symbol], outputs, name="side_by_side")


def train(model, inputs, targets):
    """Train on ``targets`` (a dict: one per output); each output's history."""
    model.compile(
        optimizer=keras.optimizers.Adam(0.02),
        loss="sparse_categorical_crossentropy",
        metrics={name: ["accuracy"] for name in targets},
    )
    history = model.fit(
        inputs, targets, epochs=EPOCHS, batch_size=BATCH, verbose=0
    ).history
    return {
        name: {"accuracy": history[f"{name}_accuracy"]} for name in targets
    }


def sequence_accuracy(predicted, targets):
    """Share of sequences reversed exactly: all four symbols right."""
    return float(np.mean(np.all(predicted == targets, axis=1)))


def main():
    keras.utils.set_random_seed(SEED)
    (train_x, train_y), (test_x, test_y) = make_data()

    model, encoder, decoder, readout = states_model()
    repeat = repeat_model()
    histories = train(
        side_by_side(model, repeat),
        [one_hot(train_x), decoder_inputs(train_y)],
        {"states": train_y, "repeat": train_y},
    )
    states_predicted = decode(encoder, decoder, readout, test_x)
    repeat_predicted = np.argmax(repeat(one_hot(test_x)), axis=-1)

    results = {
        "test_sources": test_x,
        "test_targets": test_y,
        "states_predicted": states_predicted,
        "repeat_predicted": repeat_predicted,
        "states_accuracy": sequence_accuracy(states_predicted, test_y),
        "repeat_accuracy": sequence_accuracy(repeat_predicted, test_y),
        "states_history": histories["states"],
        "repeat_history": histories["repeat"],
        "model": model,
        "repeat": repeat,
    }
    # The claim of this example: both really reverse sequences they never saw.
    assert results["states_accuracy"] > 0.95, results["states_accuracy"]
    assert results["repeat_accuracy"] > 0.8, results["repeat_accuracy"]
    return results


if __name__ == "__main__":
    results = main()
    for source, predicted, target in zip(
        results["test_sources"][:3],
        results["states_predicted"],
        results["test_targets"],
        strict=False,
    ):
        print(f"{source} -> {predicted} (target {target})")
    print(
        "unseen sequences reversed exactly: "
        f"states {results['states_accuracy']:.1%}, "
        f"repeat {results['repeat_accuracy']:.1%}"
    )
