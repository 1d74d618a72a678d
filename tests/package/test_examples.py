"""Every script in examples/ runs, as a reader would run it: `python examples/NAME.py`.

The scripts are forked from one interpreter that has imported Keras and NumPy
(:class:`site_tools.warm_programs.ProgramServer`), as fresh as ``python -I`` would start
them but without a TensorFlow import each, and with this site's package unimportable: a
script a reader copies needs only Keras and NumPy.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from site_tools.page_code import READER_LACKS
from site_tools.warm_programs import ProgramServer

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.py"))
# Scripts that take a size flag are run at their smoke-test size.
ARGUMENTS = {"cudnn_speed.py": ["--quick"]}
#: A script may run this long (s) on a loaded machine.
TIMEOUT = 300
ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0", "KERAS_BACKEND": "tensorflow"}


def test_there_are_at_least_six_examples():
    assert len(EXAMPLES) >= 6, [path.name for path in EXAMPLES]


@pytest.fixture(scope="module")
def script_server(tmp_path_factory):
    """One interpreter, Keras imported, that forks each script."""
    scratch = tmp_path_factory.mktemp("example-server")
    server = ProgramServer({**os.environ, **ENV, "TMPDIR": str(scratch)}, READER_LACKS)
    yield server
    server.close()


@pytest.mark.parametrize("script", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_runs(script: Path, script_server, tmp_path):
    # As `python examples/NAME.py ARGS` from the repository's root: the script is __main__.
    argv = [f"examples/{script.name}", *ARGUMENTS.get(script.name, [])]
    cells = [
        {"source": f"import sys\nsys.argv = {argv!r}\n", "where": "argv", "raises": False},
        {"source": script.read_text(encoding="utf-8"), "where": script.name, "raises": False},
    ]
    program, result = tmp_path / "program.json", tmp_path / "result.json"
    program.write_text(json.dumps({"blocked": list(READER_LACKS), "cells": cells}))
    env = {**os.environ, **ENV, "TMPDIR": str(tmp_path)}
    answer = script_server.run(
        program=program, result=result, cwd=script.parents[1], env=env, timeout=TIMEOUT
    )
    output = f"{answer['stdout']}\n{answer['stderr']}"
    assert not answer.get("timeout"), f"{script.name} timed out after {TIMEOUT} s"
    assert answer["status"] == 0, f"{script.name} failed:\n{output}"
    assert result.exists(), f"{script.name} left no result:\n{output}"
    failure = json.loads(result.read_text())["failure"]
    assert failure is None, f"{script.name} failed: {failure}"
    assert answer["stdout"].strip(), f"{script.name} printed nothing"
    assert "Traceback" not in answer["stderr"]
    # A script a reader copies must not trip a Python warning (TensorFlow's own log lines
    # on stderr are not Python warnings and are not checked).
    assert "Warning:" not in answer["stderr"], answer["stderr"]
