"""Every script in examples/ runs, as a reader would run it: `python examples/NAME.py`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.py"))
# Scripts that take a size flag are run at their smoke-test size.
ARGUMENTS = {"cudnn_speed.py": ["--quick"]}


def test_there_are_at_least_six_examples():
    assert len(EXAMPLES) >= 6, [path.name for path in EXAMPLES]


@pytest.mark.parametrize("script", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_example_runs(script: Path):
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONHASHSEED": "0",
        "KERAS_BACKEND": "tensorflow",
    }
    result = subprocess.run(
        [sys.executable, str(script), *ARGUMENTS.get(script.name, [])],
        cwd=script.parents[1],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )
    assert result.returncode == 0, f"{script.name} failed:\n{result.stdout}\n{result.stderr}"
    assert result.stdout.strip(), f"{script.name} printed nothing"
    assert "Traceback" not in result.stderr
    # A script a reader copies must not trip a Python warning (TensorFlow's own log lines
    # on stderr are not Python warnings and are not checked).
    assert "Warning:" not in result.stderr, result.stderr
