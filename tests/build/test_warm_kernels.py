"""Page kernels forked from the warm parent (lstm_site.execution.warm_kernels).

Scratch copies of docs/ (the real conf.py and extensions) with three tiny pages, built with
the site's options. Each page writes what its kernel saw to a JSON file (the folder comes in
the build's environment, which a kernel inherits): how it started, the names it found,
Keras's next layer name, draws from NumPy's and Python's global generators, its parent.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from lstm_site.execution import kernel, warm_kernels
from site_tools import site_outputs, sphinx_build
from site_tools.sphinx_build import OPTIONS

# Its builds start Jupyter kernels: one xdist group for all such tests (tests/conftest.py).
pytestmark = pytest.mark.jupyter_kernels

ROOT = Path(__file__).resolve().parents[2]
EXECUTION = ROOT / "docs" / "_ext" / "lstm_site" / "execution"
PAGES = 3
FRONT_MATTER = (
    "---\nfile_format: mystnb\nkernelspec:\n  name: python3\n  display_name: Python 3\n---\n"
)
# The shown outputs are deterministic (compared with a plain build's); the random draws go
# only to the JSON file.
KERNEL_CELL = """\
import gc, json, os, random
import keras
import matplotlib.pyplot as plt
import numpy as np

seen = sorted(name for name in globals() if name.startswith("page_"))
page_{i} = {i}
layer = keras.layers.LSTM(2)
keras.utils.set_random_seed({i})
print(layer.name, keras.random.uniform((2,)).numpy().round(4))
plt.plot([0, {i}])
plt.show()
report = {{
    "start": os.environ.get("LSTM_SITE_KERNEL_START"),
    "seen": seen,
    "layer": layer.name,
    "parent": os.getppid(),
    "frozen": gc.get_freeze_count(),
}}
"""
DRAWS_CELL = """\
report["numpy"] = int(np.random.default_rng().integers(1 << 62))
report["numpy_global"] = int(np.random.randint(1 << 62, dtype=np.int64))
report["random"] = random.getrandbits(62)
with open(os.path.join(os.environ["WARM_TEST_OUT"], "page-{i}.json"), "w") as file:
    json.dump(report, file)
"""
KILL_CELL = """\
import os, signal  # page {i}: the cache keys a page on its code

start = os.environ.get("LSTM_SITE_KERNEL_START")
print(start)
if {kill} and start == "forked":
    os.kill(os.getppid(), signal.SIGKILL)
"""


def _cell(code: str) -> str:
    return f"```{{code-cell}} ipython3\n{code}```\n"


def _scratch(tmp_path: Path, name: str, pages: dict[str, str]) -> Path:
    docs = tmp_path / name
    shutil.copytree(ROOT / "docs", docs, ignore=shutil.ignore_patterns("_build", "*.md"))
    (docs / "index.md").write_text("# Scratch\n\n```{toctree}\n:glob:\n\npage-*\n```\n")
    for page, body in pages.items():
        (docs / f"{page}.md").write_text(f"{FRONT_MATTER}\n# {page}\n\n{body}")
    return docs


def _build(docs: Path, options=OPTIONS, **env: str) -> subprocess.CompletedProcess[str]:
    command = sphinx_build.command(docs, docs / "_build" / "html", doctrees=None, options=options)
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **env}, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _gone(pid: int, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def test_each_page_gets_a_fresh_forked_kernel_with_a_plain_kernels_outputs(tmp_path):
    pages = {
        f"page-{i}": _cell(KERNEL_CELL.format(i=i)) + "\n" + _cell(DRAWS_CELL.format(i=i))
        for i in range(PAGES)
    }
    docs = _scratch(tmp_path, "warm", pages)
    out = tmp_path / "reports"
    out.mkdir()

    build = _build(docs, WARM_TEST_OUT=str(out))
    reports = [json.loads((out / f"page-{i}.json").read_text()) for i in range(PAGES)]
    assert [r["start"] for r in reports] == ["forked"] * PAGES, build.stdout
    assert f"page kernels: {PAGES} forked from the warm parent, 0 started plainly" in build.stdout
    # Nothing another page defined, layer names from zero.
    assert [r["seen"] for r in reports] == [[]] * PAGES
    assert [r["layer"] for r in reports] == ["lstm"] * PAGES
    # What the parent imported is frozen: a kernel's garbage collections skip it.
    assert min(r["frozen"] for r in reports) > 100_000, [r["frozen"] for r in reports]
    # Every global generator reseeded: a fork would otherwise repeat the parent's draws.
    for generator in ("numpy", "numpy_global", "random"):
        assert len({r[generator] for r in reports}) == PAGES, (generator, reports)
    # One parent for the build, ended with it; no fork warning reached stderr.
    assert len({r["parent"] for r in reports}) == 1
    assert _gone(reports[0]["parent"])
    assert "DeprecationWarning" not in build.stderr

    plain = _scratch(tmp_path, "plain", pages)
    build = _build(plain, WARM_TEST_OUT=str(out), LSTM_SITE_WARM_KERNELS="0")
    assert json.loads((out / "page-0.json").read_text())["start"] is None
    assert "page kernels" not in build.stdout
    html = Path("_build") / "html"
    _, compared, problems = site_outputs.compare(docs / html, plain / html)
    assert (compared, problems) == (PAGES, [])  # each page's printed text and figure


def test_a_killed_parent_makes_the_build_fall_back(tmp_path):
    # One page at a time, in name order: the first page's kernel kills its warm parent.
    serial = [*OPTIONS]
    serial[serial.index("-j") + 1] = "1"
    pages = {f"page-{i}": _cell(KILL_CELL.format(i=i, kill=i == 0)) for i in range(PAGES)}
    docs = _scratch(tmp_path, "killed", pages)

    build = _build(docs, serial)
    shown = [
        site_outputs.outputs(docs / "_build" / "html" / f"page-{i}.html")[0] for i in range(PAGES)
    ]
    assert shown == ["forked", "None", "None"], build.stdout
    assert f"1 forked from the warm parent, {PAGES - 1} started plainly" in build.stdout


def test_serve_keeps_one_parent_across_rebuilds(tmp_path):
    # As under sphinx-autobuild: builds run by one process (here, pytest) share its parent.
    docs = _scratch(tmp_path, "served", {})
    parents = []
    try:
        for rebuild in range(2):
            code = f"import os  # build {rebuild}\n\nprint(os.getppid())\n"
            (docs / "page-0.md").write_text(f"{FRONT_MATTER}\n# Served\n\n{_cell(code)}")
            build = _build(docs, LSTM_SITE_WARM_KERNELS="shared")
            assert "1 forked from the warm parent, 0 started plainly" in build.stdout
            html = docs / "_build" / "html" / "page-0.html"
            parents.append(int(site_outputs.outputs(html)[0]))
            assert not _gone(parents[-1], seconds=1), "the parent ended with the build"
        assert parents[0] == parents[1]
    finally:
        for pid in set(parents):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
    # The parent, ended, leaves nothing in the temporary folder: no socket, no lock file.
    # (This process, pytest, ran the builds: it is the parent's owner.)
    jupyter = (docs / "_build" / "jupyter").resolve()
    env = kernel.kernel_env(jupyter / "matplotlibrc")
    socket = warm_kernels.socket_path(jupyter, os.getpid(), env)
    assert all(_gone(pid) for pid in set(parents))
    assert not socket.exists()
    assert not Path(f"{socket}.lock").exists()


@functools.cache
def _python_312() -> str | None:
    """A working Python 3.12 (on PATH, or one of pyenv's versions), if this machine has one."""
    candidates = [
        shutil.which("python3.12"),
        *Path.home().glob(".pyenv/versions/3.12*/bin/python3.12"),
    ]
    for candidate in filter(None, candidates):
        try:
            probe = subprocess.run(
                [str(candidate), "-c", "pass"], capture_output=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return str(candidate)
    return None


# The warm parent's fork, in miniature: a process with a second thread forks a child.
FORK_WITH_A_THREAD = """\
import os, sys, threading, time
sys.path.insert(0, sys.argv[1])
import warm_parent
threading.Thread(target=time.sleep, args=(30,), daemon=True).start()
if sys.argv[2] == "quiet":
    warm_parent.quiet_fork_warning()
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(_python_312() is None, reason="no Python 3.12 on this machine")
def test_python_3_12s_fork_warning_never_reaches_stderr():
    # The site is published with Python 3.11, which does not warn; 3.12 does, on stderr.
    for mode, warns in (("plain", True), ("quiet", False)):
        command = [_python_312(), "-W", "default", "-c", FORK_WITH_A_THREAD, str(EXECUTION), mode]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        assert ("is multi-threaded" in result.stderr) is warns, (mode, result.stderr)
