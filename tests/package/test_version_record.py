"""The record ``nox -s versions`` writes (docs/_data/keras_versions.json): complete, and
current for the Keras and tf.keras this site pins. Where ``LSTM_OUTPUTS_KERAS_VERSIONS`` names
a copy (``nox -s canary``'s, with the newest releases' columns), the copy is checked instead.

The page "Which Keras do you have?" fails the build when the record has no column for the
pinned Keras; these tests check the rest, and re-run every claim on the pinned Keras and
tf.keras, so the record cannot go stale for the versions the site runs.
"""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import subprocess
import sys

import pytest
from lstm_site.version_matrix import cell_text, changes, load_record, rows, topic_claims, topics
from version_claims import claims
from version_claims.matrix import last_patch_of_each_minor


@pytest.fixture(scope="module")
def record() -> dict:
    """The record the page reads (the committed one, or the copy the variable names)."""
    return load_record()


def test_every_claim_is_recorded_for_every_release_that_ran(record):
    assert list(record["claims"]) == list(claims.CLAIMS)
    for column in record["columns"]:
        if column["status"] == "ok":
            assert set(column["results"]) == set(claims.CLAIMS), column["name"]
        else:
            assert column["status"], f"{column['name']}: a failure needs its reason"


def test_keras_3_releases_from_the_first_to_the_newest(record):
    keras3 = [c["version"] for c in record["columns"] if c["package"] == "keras"]
    assert keras3[0] == "3.0.0"
    assert keras3 == last_patch_of_each_minor(keras3)
    assert len(keras3) >= 14


def test_the_pinned_keras_and_tf_keras_have_columns(record):
    versions = {(c["package"], c["version"]) for c in record["columns"]}
    assert ("keras", md.version("keras")) in versions
    assert ("tf-keras", md.version("tf-keras")) in versions
    assert len([p for p, _ in versions if p == "tf-keras"]) >= 2


def test_every_topic_renders_and_every_change_is_listed(record):
    changed = 0
    for topic in topics(record):
        names = topic_claims(record, topic)
        found = rows(record, names)
        assert sum(len(r["releases"]) for r in found) == len(record["columns"])
        changed += sum(len(r["changed"]) for r in found if r["keras3"])
    assert len(changes(record)) == changed


def test_a_crash_and_an_error_read_as_such():
    assert cell_text({"crashed": "exit code -11"}) == "crashed: exit code -11"
    assert cell_text(None) == "not run"


@pytest.mark.parametrize(("package", "module"), [("keras", "keras"), ("tf-keras", "tf_keras")])
def test_the_pinned_columns_say_what_the_pinned_releases_do_now(record, package, module):
    column = next(
        c
        for c in record["columns"]
        if (c["package"], c["version"]) == (package, md.version(package))
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env["KERAS_BACKEND"] = column["environment"].get("backend", "tensorflow")
    run = subprocess.run(
        [sys.executable, claims.__file__, "--keras", module],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    now = json.loads(run.stdout)["results"]
    stale = {n: (column["results"][n], now[n]) for n in now if column["results"][n] != now[n]}
    assert not stale, f"the record disagrees with {package} {md.version(package)}: {stale}"
