"""Page programs forked from one interpreter that has imported Keras, instead of a fresh
interpreter (and a fresh ``import tensorflow``, seconds of CPU) for every page.

:class:`ProgramServer` starts ``python -I`` (isolated, as ``run_cells(isolated=True)`` runs
a program) with the programs' environment, imports :data:`PRELOADED` and nothing of this
site (no ``lstm_outputs``, no ``myst_nb``: the blocked modules must be importable by no
one), then forks one child per program. The child is the fresh interpreter
``site_tools.page_code.run_cells`` would start, the imports aside: its own folder, stdin,
stdout and stderr, ``TMPDIR``, NumPy's global generator reseeded (Python's ``random``
reseeds itself at a fork), and :data:`~site_tools.page_code.RUNNER` run as ``python -c``
runs it, with the same result file. What the imports wrote to stderr is put in front of
each child's stderr, as a fresh interpreter would show it.

>>> import contextlib, os, tempfile
>>> cells = [{"source": "import sys\\nprint(len(sys.argv))", "where": "c1", "raises": False}]
>>> with tempfile.TemporaryDirectory() as folder, contextlib.closing(
...     ProgramServer(dict(os.environ), (), preloaded=())
... ) as server:
...     where = {"cwd": Path(folder), "scratch": Path(folder), "env": dict(os.environ)}
...     first = server.run_cells(cells, **where, timeout=60)
...     second = server.run_cells([{**cells[0], "source": "1/0"}], **where, timeout=60)
>>> first["failure"], second["failure"]["error"]
(None, 'ZeroDivisionError: division by zero')
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from site_tools.page_code import RUNNER

#: What the parent imports before it forks: what the pages' programs import (Keras imports
#: TensorFlow, its backend). Only whole imports a program would make itself.
PRELOADED = ("numpy", "keras")

#: Variables a program may set differently from the parent: read after start-up, not at it.
PER_PROGRAM = ("TMPDIR", "PYTEST_CURRENT_TEST")

SERVER = r"""
import importlib, json, os, sys, tempfile, time, traceback

for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
BLOCKED = set(json.loads(sys.argv[2]))
assert not [m for m in sys.modules if m.partition(".")[0] in BLOCKED], "a blocked module loaded"
RUNNER = sys.stdin.readline()
RUNNER = json.loads(RUNNER)
sys.stderr.flush()
print(json.dumps({"ready": os.getpid()}), flush=True)


def child(request):
    os.chdir(request["cwd"])
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    for fd, name in ((1, "stdout"), (2, "stderr")):
        target = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, fd)
    for key, value in request["env"].items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    tempfile.tempdir = None  # read TMPDIR again
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()
    sys.argv = ["-c", request["program"], request["result"]]
    exec(compile(RUNNER, "<string>", "exec"), {"__name__": "__main__"})


for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            child(request)
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (exit_.code is not None)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            os._exit(code)
    deadline = time.monotonic() + request["timeout"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            answer = {"status": os.waitstatus_to_exitcode(status)}
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            answer = {"timeout": True}
            break
        time.sleep(0.02)
    print(json.dumps(answer), flush=True)
"""


class ProgramServer:
    """One warm parent of page programs, started with ``env`` (:data:`PER_PROGRAM` aside,
    the environment of every program it runs), ended by :meth:`close`."""

    def __init__(self, env: dict, blocked: tuple[str, ...], *, preloaded=PRELOADED):
        self.env = {k: v for k, v in env.items() if k not in PER_PROGRAM}
        self.blocked = blocked
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-I",
                "-c",
                SERVER,
                json.dumps(list(preloaded)),
                json.dumps(list(self.blocked)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=self.env,
            text=True,
        )
        self.process.stdin.write(json.dumps(RUNNER) + "\n")
        self.process.stdin.flush()
        ready = self.process.stdout.readline()
        if not ready:
            raise RuntimeError(f"the program server did not start:\n{self._read_stderr()}")
        #: What the imports wrote to stderr, which a fresh interpreter's stderr would show.
        self.startup_stderr = self._read_stderr()

    def _read_stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def close(self) -> None:
        self.process.stdin.close()  # the server's loop ends
        self.process.wait(timeout=60)
        self.process.stdout.close()
        self._stderr.close()

    def run(self, *, program: Path, result: Path, cwd: Path, env: dict, timeout: float) -> dict:
        """Run one ``RUNNER program result`` in a forked child: its exit status (or timeout),
        stdout and stderr."""
        differs = sorted(
            key
            for key in env.keys() | self.env.keys()
            if key not in PER_PROGRAM and env.get(key) != self.env.get(key)
        )
        assert not differs, f"the program's environment differs from the server's: {differs}"
        out, err = program.with_suffix(".stdout"), program.with_suffix(".stderr")
        request = {
            "program": str(program),
            "result": str(result),
            "cwd": str(cwd),
            "env": {k: env.get(k) for k in PER_PROGRAM},
            "stdout": str(out),
            "stderr": str(err),
            "timeout": timeout,
        }
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the program server ended:\n{self._read_stderr()}")
        answer = json.loads(line)
        answer["stdout"] = out.read_text(errors="replace") if out.exists() else ""
        child_err = err.read_text(errors="replace") if err.exists() else ""
        answer["stderr"] = self.startup_stderr + child_err
        return answer

    def run_cells(
        self, cells: list[dict], *, cwd: Path, scratch: Path, env: dict, timeout: float
    ) -> dict:
        """As ``site_tools.page_code.run_cells(..., isolated=True)``, blocking the server's
        modules: the runner's result, whose ``failure`` is ``None`` when all went as tagged."""
        program, result = scratch / "program.json", scratch / "result.json"
        program.write_text(json.dumps({"blocked": list(self.blocked), "cells": cells}))
        answer = self.run(program=program, result=result, cwd=cwd, env=env, timeout=timeout)
        if answer.get("timeout"):
            error = f"timed out after {timeout} s"
            return {"failure": {"where": "", "error": error, "traceback": ""}}
        if not result.exists():
            error = f"interpreter exited with status {answer['status']}"
            return {"failure": {"where": "", "error": error, "traceback": answer["stderr"][-3000:]}}
        return json.loads(result.read_text())
