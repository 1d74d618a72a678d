"""The canary's column (``python -m version_claims.matrix --installed --write COPY``): the
installed releases' columns added to a copy of the record, which the page, its build check,
the stale outputs' stamps and tests/package/test_version_record.py then read, when
``LSTM_OUTPUTS_KERAS_VERSIONS`` names it. Fast: no claim runs, no network.
"""

from __future__ import annotations

import copy
import json

import pytest
from lstm_site.execution import stale_outputs
from lstm_site.version_matrix import changes, load_record
from version_claims import matrix

COMMITTED = matrix.RECORD.read_bytes()


@pytest.fixture(autouse=True)
def committed_record_read(monkeypatch):
    """These tests start from the committed record, even in the canary, which names a copy."""
    monkeypatch.delenv(matrix.RECORD_VARIABLE, raising=False)


@pytest.fixture
def record() -> dict:
    return json.loads(COMMITTED)


def keras3(record: dict) -> list[str]:
    return [c["version"] for c in record["columns"] if c["package"] == "keras"]


def newer(column: dict, version: str, **results) -> dict:
    """The column as a later release's, with some claims' results changed."""
    later = copy.deepcopy(column)
    later.update(name=f"Keras {version}", version=version)
    later["results"].update(results)
    return later


def test_a_new_release_is_added_after_the_newest(record):
    newest = record["columns"][len(keras3(record)) - 1]
    major, minor, _ = newest["version"].split(".")
    version = f"{major}.{int(minor) + 1}.0"
    added, replaced = matrix.with_column(record, newer(newest, version))
    assert keras3(added) == [*keras3(record), version]
    assert replaced == []
    assert added["columns"][len(keras3(added)) :] == record["columns"][len(keras3(record)) :]


def test_a_later_patch_replaces_its_minor_releases_column(record):
    newest = record["columns"][len(keras3(record)) - 1]
    major, minor, patch = newest["version"].split(".")
    version = f"{major}.{minor}.{int(patch) + 1}"
    added, replaced = matrix.with_column(record, newer(newest, version))
    assert keras3(added) == [*keras3(record)[:-1], version]
    assert replaced == [newest]
    assert keras3(added) == matrix.last_patch_of_each_minor(keras3(added))


def test_the_same_release_is_replaced_and_tf_keras_follows_its_own_minor(record):
    tf_keras = record["columns"][-1]
    again, replaced = matrix.with_column(record, copy.deepcopy(tf_keras))
    assert again == record
    assert replaced == [tf_keras]
    major, minor, patch = tf_keras["version"].split(".")
    later = {**tf_keras, "version": f"{major}.{minor}.{int(patch) + 1}"}
    added, _ = matrix.with_column(record, later)
    assert [c["version"] for c in added["columns"]][-1] == later["version"]
    assert len(added["columns"]) == len(record["columns"])


def test_adding_a_column_leaves_the_record_it_was_given_as_it_was(record):
    before = copy.deepcopy(record)
    newest = record["columns"][len(keras3(record)) - 1]
    matrix.with_column(record, newer(newest, "3.99.0"))
    assert record == before


def test_a_change_in_the_new_release_is_logged_and_listed_on_the_page(record):
    newest = record["columns"][len(keras3(record)) - 1]
    new = newer(newest, "3.99.0", lstm_default={"raises": "TypeError: gone"})
    added, _ = matrix.with_column(record, new)
    logged = matrix.differences(newest, new, record["claims"])
    was = matrix.result_text(newest["results"]["lstm_default"])
    now = "Keras 3.99.0 raises TypeError: gone"
    assert logged == [f"LSTM returns, default: Keras {newest['version']} {was}; {now}"]
    listed = set(changes(added)) - set(changes(record))
    assert len(listed) == 1
    assert f"changed between {newest['version']} and 3.99.0" in listed.pop()


def installed_here(monkeypatch, record, versions: dict[str, str], **results) -> None:
    """The CLI's run, with fake installed releases whose claims give the newest column's
    results (and ``results``)."""
    monkeypatch.setattr(matrix, "claim_topics", lambda python, name: record["claims"])
    monkeypatch.setattr(matrix, "installed_version", versions.get)
    monkeypatch.setattr(matrix, "release_day", lambda package, version: "2027-01-01T00:00:00Z")
    newest = {c["package"]: c for c in record["columns"]}

    def run_all(column, python, names, chosen=None):
        column.environment = newest[column.package]["environment"]
        column.results = {**newest[column.package]["results"], **results}
        return column

    monkeypatch.setattr(matrix, "run_all", run_all)


def test_the_command_writes_a_copy_and_never_the_committed_record(
    monkeypatch, record, tmp_path, capsys
):
    installed_here(monkeypatch, record, {"keras": "3.99.0", "tf-keras": "2.99.0"})
    copied = tmp_path / "canary" / "keras_versions.json"
    matrix.main(["--installed", "--write", str(copied)])
    written = json.loads(copied.read_text(encoding="utf-8"))
    assert keras3(written) == [*keras3(record), "3.99.0"]
    assert written["columns"][-1]["name"] == "tf.keras 2.99.0"
    assert written["columns"][-1]["released"] == "2027-01-01"
    log = capsys.readouterr().out
    newest = keras3(record)[-1]
    assert f"versions: Keras 3.99.0 gives what Keras {newest} gave on every claim" in log
    assert matrix.RECORD.read_bytes() == COMMITTED
    with pytest.raises(SystemExit, match="the committed record"):
        matrix.main(["--installed", "--write", str(matrix.RECORD)])
    assert matrix.RECORD.read_bytes() == COMMITTED


def test_the_same_release_again_is_compared_with_the_records_column(
    monkeypatch, record, tmp_path, capsys
):
    newest = keras3(record)[-1]
    gone = {"raises": "TypeError: gone"}
    installed_here(monkeypatch, record, {"keras": newest}, lstm_default=gone)
    copied = tmp_path / "keras_versions.json"
    matrix.main(["--installed", "--write", str(copied)])
    assert keras3(json.loads(copied.read_text(encoding="utf-8"))) == keras3(record)
    log = capsys.readouterr().out.splitlines()
    was = matrix.result_text(record["columns"][len(keras3(record)) - 1]["results"]["lstm_default"])
    changed = f"the record's Keras {newest} {was}; Keras {newest} raises TypeError: gone"
    assert f"versions: Keras {newest}: LSTM returns, default: {changed}" in log


def test_an_older_patch_than_the_records_is_a_one_line_error(monkeypatch, record, tmp_path):
    newest = keras3(record)[-1]
    older = matrix.minor(newest) + ".0"
    if older == newest:
        pytest.skip(f"the record's newest Keras, {newest}, is its minor's first patch")
    installed_here(monkeypatch, record, {"keras": older})
    with pytest.raises(SystemExit, match=f"a later patch of keras {older}: {newest}"):
        matrix.main(["--installed", "--write", str(tmp_path / "x.json")])


def test_the_variable_names_the_record_the_page_and_the_tests_read(monkeypatch, record, tmp_path):
    assert load_record() == record
    copied = tmp_path / "copy.json"
    copied.write_bytes(COMMITTED)
    root = matrix.ROOT
    committed_stamp = stale_outputs.stamps(root)[stale_outputs.RECORD_NAME]
    monkeypatch.setenv(matrix.RECORD_VARIABLE, str(copied))
    assert matrix.record_path() == copied
    # An equal copy stamps as the record does: nothing re-executes for it.
    assert stale_outputs.stamps(root)[stale_outputs.RECORD_NAME] == committed_stamp
    changed = {**record, "made": "2099-01-01"}
    copied.write_text(json.dumps(changed), encoding="utf-8")
    assert load_record() == changed
    assert stale_outputs.stamps(root)[stale_outputs.RECORD_NAME] != committed_stamp
