"""The "Which Keras do you have?" page: ``{version-matrix} TOPIC`` renders one topic of the
record ``nox -s versions`` writes (docs/_data/keras_versions.json; or the copy the variable
``LSTM_OUTPUTS_KERAS_VERSIONS`` names, as ``nox -s canary`` does) as a table.

One row per run of Keras 3 releases that agree on every claim of the topic (each release
named), then one row per tf.keras release. A cell that differs from the row above is marked
as a change, with the releases it changed between and, where one is known, the pull request
or issue that changed it.

>>> cell_text({"returns": [[2, 3, 4], [2, 4]]})
'(2, 3, 4), (2, 4)'
>>> cell_text({"returns": {"methods": ["reset_state"], "restores first output": True}})
'methods: reset_state; restores first output: yes'
>>> cell_text({"raises": "TypeError: bad"})
'raises TypeError: bad'
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from version_claims.matrix import record_path, version_key

KERAS = "https://github.com/keras-team/keras"
#: The release that made a change, and its commit, found in Keras's history (``git tag
#: --contains``): claim → [(release, link text, address)]. The matrix runs only the last
#: patch of each minor release: alone it can say only between which two releases it changed.
_BIDIRECTIONAL = [
    (
        "3.0.1",
        "Fix issue with Bidirectional return_state",
        f"{KERAS}/commit/0049b35f1da169e9bbca04c650ecad1eb28c0e53",
    )
]
CHANGES = {
    **dict.fromkeys(
        [
            "bidirectional_concat",
            "bidirectional_sum",
            "bidirectional_mul",
            "bidirectional_ave",
            "bidirectional_none",
            "bidirectional_gru",
            "masked_padded_rows_bidirectional",
        ],
        _BIDIRECTIONAL,
    ),
    "bidirectional_symbolic": [
        ("3.2.0", "Fix compute_output_shape in bidirectional.py", f"{KERAS}/pull/19331")
    ],
    "stacked_cells_return_state_symbolic": [
        (
            "3.3.0",
            "Fix issue with StackedRNNCells output shape computation",
            f"{KERAS}/commit/7386d373cf3a7060c4886c3dd9f7c0265025fa68",
        )
    ],
    "cudnn_gru_state": [
        (
            "3.11.3",
            "Fix GRU with return_state=True on tf backend with cuda",
            f"{KERAS}/pull/21603",
        )
    ],
    "use_cudnn_accepted": [
        (
            "3.2.0",
            "Fix cudnn TF support",
            f"{KERAS}/commit/b451d660a243e1e1c40668a369f377e8de57ce5b",
        )
    ],
}


def is_shape(value) -> bool:
    return isinstance(value, list) and all(v is None or type(v) is int for v in value)


def shape_text(value) -> str:
    if is_shape(value):
        return "(" + ", ".join(map(str, value)) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(shape_text(v) for v in value) + "]"
    return value_text(value)


def value_text(value) -> str:
    """A claim's value as a table shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, list):
        if is_shape(value):
            return shape_text(value)
        return ", ".join(shape_text(v) for v in value)
    return str(value)


def cell_text(result: dict | None) -> str:
    """One claim's result (``returns``, ``raises`` or ``crashed``) as text."""
    if result is None:
        return "not run"
    if "returns" in result:
        return value_text(result["returns"])
    if "raises" in result:
        return f"raises {result['raises']}"
    return f"crashed: {result['crashed']}"


def load_record(path: Path | None = None) -> dict:
    """The record at ``path``, else the one :func:`version_claims.matrix.record_path` names."""
    return json.loads((path or record_path()).read_text(encoding="utf-8"))


def topic_claims(record: dict, topic: str) -> list[str]:
    return [name for name, about in record["claims"].items() if about["topic"] == topic]


def rows(record: dict, names: list[str]) -> list[dict]:
    """The table's rows: runs of Keras 3 releases that agree on these claims, then each
    tf.keras release; each row with its releases, its cells and what changed."""
    found: list[dict] = []
    for column in record["columns"]:
        ok = column["status"] == "ok"
        cells = tuple(cell_text(column["results"].get(n)) if ok else None for n in names)
        keras3 = column["package"] == "keras"
        previous = found[-1] if found and found[-1]["keras3"] and keras3 else None
        if previous and previous["cells"] == cells and ok:
            previous["releases"].append(column["version"])
            continue
        changed = {}
        if previous and ok and previous["cells"][0] is not None:
            changed = {
                n: (previous["releases"][-1], column["version"])
                for n, now, before in zip(names, cells, previous["cells"], strict=True)
                if now != before
            }
        found.append(
            {
                "keras3": keras3,
                "package": "Keras" if keras3 else "tf.keras",
                "releases": [column["version"]],
                "cells": cells,
                "status": column["status"],
                "changed": changed,
            }
        )
    return found


def topics(record: dict) -> list[str]:
    """The record's topics, in the claims' order."""
    return list(dict.fromkeys(about["topic"] for about in record["claims"].values()))


def changes(record: dict) -> list[str]:
    """Every change between consecutive Keras 3 releases, one Markdown line each."""
    lines = []
    for topic in topics(record):
        names = topic_claims(record, topic)
        found = [r for r in rows(record, names) if r["keras3"]]
        for before, after in itertools.pairwise(found):
            for index, name in enumerate(names):
                if name not in after["changed"]:
                    continue
                old, new = (r["cells"][index].replace("`", "'") for r in (before, after))
                between = after["changed"][name]
                title = record["claims"][name]["title"]
                line = (
                    f"**{topic}, {title}**: {change_text(name, between)}, from `{old}` to `{new}`"
                )
                known = made_by(name, between)
                lines.append(line + (f" ([{known[1]}]({known[2]}))" if known else "") + ".")
    return lines


def _entry(*children, classes=()) -> nodes.entry:
    entry = nodes.entry(classes=list(classes))
    entry += nodes.paragraph("", "", *children)
    return entry


def made_by(name: str, between: tuple[str, str]) -> tuple[str, str, str] | None:
    """The known release and commit of a change between two releases, if it is known.

    >>> made_by("use_cudnn_accepted", ("3.1.1", "3.2.1"))[0]
    '3.2.0'
    >>> made_by("use_cudnn_accepted", ("3.2.1", "3.3.3")) is None
    True
    """
    low, high = (version_key(v) for v in between)
    found = [c for c in CHANGES.get(name, []) if low < version_key(c[0]) <= high]
    return found[0] if found else None


def outcome(result: dict) -> str:
    """What a result says, an error being one outcome whatever its message."""
    return "raises" if "returns" not in result else json.dumps(result["returns"])


def changed_once(record: dict, name: str) -> str:
    """The release from which a claim gives what the newest Keras 3 gives, when it changed
    once: the release known to have changed it (``CHANGES``), else the first recorded one.
    Raises ``ValueError`` unless the oldest releases agree, and every later one agrees with
    the newest.

    >>> made = {"package": "keras", "status": "ok"}
    >>> record = {"columns": [
    ...     {**made, "version": "3.1.1", "results": {"use_cudnn_accepted": {"raises": "E"}}},
    ...     {**made, "version": "3.2.1", "results": {"use_cudnn_accepted": {"returns": 1}}}]}
    >>> changed_once(record, "use_cudnn_accepted")
    '3.2.0'
    """
    found = [
        (c["version"], outcome(c["results"][name]))
        for c in record["columns"]
        if c["package"] == "keras" and c["status"] == "ok"
    ]
    now = next(i for i, (_, result) in enumerate(found) if result == found[-1][1])
    results = [result for _, result in found]
    if now == 0 or len(set(results[:now])) != 1 or len(set(results[now:])) != 1:
        raise ValueError(f"{name} did not change once: {found}")
    known = made_by(name, (found[now - 1][0], found[now][0]))
    return known[0] if known else found[now][0]


def change_text(name: str, between: tuple[str, str]) -> str:
    known = made_by(name, between)
    if known:
        return f"changed in {known[0]}"
    return f"changed between {between[0]} and {between[1]}"


def _changed_note(name: str, between: tuple[str, str]) -> list[nodes.Node]:
    note = [nodes.Text(change_text(name, between))]
    known = made_by(name, between)
    if known:
        _, text, address = known
        note += [nodes.Text(": "), nodes.reference("", text, refuri=address)]
    return [nodes.inline("", "", *note, classes=["version-change-note"])]


def table(record: dict, topic: str) -> nodes.table:
    """The topic's table: a Keras column, then one column per claim."""
    names = topic_claims(record, topic)
    titles = ["Keras"] + [record["claims"][n]["title"] for n in names]
    group = nodes.tgroup(cols=len(titles))
    for _ in titles:
        group += nodes.colspec(colwidth=1)
    head = nodes.row()
    for title in titles:
        head += _entry(nodes.Text(title))
    group += nodes.thead("", head)
    body = nodes.tbody()
    for found in rows(record, names):
        row = nodes.row()
        releases = ", ".join(found["releases"])
        row += _entry(nodes.strong("", found["package"]), nodes.Text(" " + releases))
        if found["cells"][0] is None:
            status = _entry(nodes.Text(found["status"]), classes=["version-bad"])
            status["morecols"] = len(names) - 1
            row += status
        for name, text in zip(names, found["cells"], strict=True):
            if text is None:
                continue
            children = [nodes.literal("", text)]
            classes = ["version-raises"] if text.startswith(("raises", "crashed")) else []
            if name in found["changed"]:
                children += _changed_note(name, found["changed"][name])
                classes.append("version-changed")
            row += _entry(*children, classes=classes)
        body += row
    group += body
    return nodes.table("", group, classes=["version-matrix"])


class VersionMatrix(SphinxDirective):
    """``{version-matrix} TOPIC``: the record's table for one topic."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self):
        path = record_path()
        self.env.note_dependency(str(path))
        record = load_record(path)
        topic = self.arguments[0]
        if not topic_claims(record, topic):
            raise self.error(f"no claim in {path} has the topic {topic!r}")
        return [table(record, topic)]


def markdown_table(topic: str, record: dict | None = None) -> str:
    """The topic's table as plain Markdown (the reader's notebook and the Markdown page),
    a change in bold with its note."""
    record = record or load_record()
    names = topic_claims(record, topic)
    titles = ["Keras"] + [record["claims"][n]["title"] for n in names]
    lines = ["| " + " | ".join(titles) + " |", "|" + " --- |" * len(titles)]
    for found in rows(record, names):
        cells = [f"**{found['package']}** " + ", ".join(found["releases"])]
        for name, text in zip(names, found["cells"], strict=True):
            text = found["status"] if text is None else text
            if name in found["changed"]:
                text = f"**{text}** ({change_text(name, found['changed'][name])})"
            cells.append(text.replace("|", "\\|"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
