"""Page kernels forked from a warm parent, so a build pays ``import tensorflow`` once.

Each page still gets its own process (nothing another page defined, layer names from zero,
random state reseeded), forked from :mod:`~lstm_site.execution.warm_parent`, which has
imported TensorFlow, Keras, NumPy and matplotlib but never the package under ``src/``.

How: the pinned kernelspec's command is :mod:`~lstm_site.execution.warm_launch` instead of
``ipykernel_launcher``. jupyter_client's kernel provisioners are the documented extension
point, but one is found only through an installed package's entry point (the build
machinery is not a package), and the default provisioner already does everything else
right (signals, kill, exit status) for any process whose argv it runs. The same choice as
the fork servers of SageMathCell and others: a fork server, and a small process the
manager runs in the kernel's place.

The first launcher of a build starts the parent (one per owner, under a lock), so a build
that executes nothing starts none. The owner is this ``sphinx-build``, which stops the
parent when the build ends, also when it fails; with ``LSTM_SITE_WARM_KERNELS=shared``
(``nox -s serve``) it is the process that runs the builds (``sphinx-autobuild``), and the
parent lives across rebuilds until that process ends. Kernels that cannot be forked start
plainly; the build says how many, once, at info level. ``LSTM_SITE_WARM_KERNELS=0``
starts every kernel plainly.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import signal
import sys
import tempfile
from collections import Counter
from pathlib import Path

SWITCH = "LSTM_SITE_WARM_KERNELS"
HERE = Path(__file__).resolve().parent
LAUNCH = HERE / "warm_launch.py"
PARENT = HERE / "warm_parent.py"


def mode(environ=os.environ) -> str:
    """``off``, ``build`` (a parent per build) or ``shared`` (one across rebuilds).

    >>> mode({}), mode({SWITCH: "0"}), mode({SWITCH: "shared"})
    ('build', 'off', 'shared')
    """
    value = environ.get(SWITCH, "1").strip().lower()
    return {"0": "off", "shared": "shared"}.get(value, "build")


def socket_path(jupyter: Path, owner: int, env: dict) -> Path:
    """Where the parent of this owner, interpreter, environment and parent code listens.

    In the temporary folder: a UNIX socket's path must stay under 108 bytes.

    >>> path = socket_path(Path("/x/jupyter"), 42, {"A": "1"})
    >>> path.name.startswith("lstm-warm-"), path == socket_path(Path("/x/jupyter"), 42, {})
    (True, False)
    """
    key = json.dumps([str(jupyter), owner, sys.executable, env], sort_keys=True).encode()
    key += PARENT.read_bytes() + LAUNCH.read_bytes()
    return Path(tempfile.gettempdir()) / f"lstm-warm-{hashlib.sha256(key).hexdigest()[:16]}.sock"


def outcomes(log: Path) -> Counter:
    """How many kernels were forked and how many fell back, from a launch log.

    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "launch.log"
    >>> _ = log.write_text("forked 12 threads at fork [1, 2]\\nfallback 13: refused\\n")
    >>> sorted(outcomes(log).items())
    [('fallback', 1), ('forked', 1)]
    """
    if not log.is_file():
        return Counter()
    return Counter(line.split(" ", 1)[0] for line in log.read_text().splitlines() if line)


class WarmParent:
    """The warm parent of one owner: its socket, the files beside it, and its end."""

    def __init__(self, jupyter: Path, owner: int, env: dict):
        self.folder = jupyter / "warm"
        self.socket = socket_path(jupyter, owner, env)
        self.owner = owner
        # One launch log per build (the builds of `serve` share a parent, not a report).
        self.log = self.folder / f"launch-{os.getpid()}.log"
        self.pid_file = self.folder / f"{self.socket.stem}.pid"

    def argv(self, options: list[str]) -> list[str]:
        """The kernel command: the launcher, which starts the parent if none is running."""
        return [
            sys.executable,
            str(LAUNCH),
            str(self.socket),
            str(self.log),
            str(self.owner),
            str(PARENT),
            str(self.pid_file),
            *options,
        ]

    def prepare(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log.unlink(missing_ok=True)

    def report(self) -> str | None:
        """One line on how this build's kernels started, or None if it started none."""
        counts = outcomes(self.log)
        if not counts:
            return None
        lines = self.log.read_text().splitlines()
        line = (
            f"{counts['forked']} forked from the warm parent, {counts['fallback']} started plainly"
        )
        threads = [json.loads(x.split(" at fork ", 1)[1]) for x in lines if x.startswith("forked")]
        if threads:
            line += (
                f"; threads at each fork: {max(t[0] for t in threads)} Python,"
                f" {max(t[1] for t in threads)} native"
            )
        fallbacks = [x.split(": ", 1)[-1] for x in lines if x.startswith("fallback")]
        if fallbacks:
            line += f" (first fallback: {fallbacks[0]})"
        return line

    def stop(self) -> None:
        """End the parent (if this build started one) and remove its files."""
        try:
            pid = int(self.pid_file.read_text())
        except (OSError, ValueError):
            pid = None
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        for path in (self.pid_file, self.socket, Path(f"{self.socket}.lock")):
            path.unlink(missing_ok=True)


def start_for_build(app, jupyter: Path, env: dict) -> WarmParent | None:
    """Set up this build's warm parent; the build's end reports on it and stops it."""
    from sphinx.util import logging

    which = mode()
    if which == "off" or not hasattr(os, "fork") or not hasattr(os, "setsid"):
        return None
    parent = WarmParent(jupyter, os.getppid() if which == "shared" else os.getpid(), env)
    parent.prepare()
    main = os.getpid()

    def finished(app, exception) -> None:
        line = parent.report()
        if line:
            logging.getLogger(__name__).info("page kernels: %s", line)
        parent.log.unlink(missing_ok=True)
        if which == "build":
            parent.stop()

    def at_exit() -> None:
        # A build that ends before build-finished (an interrupt) still stops its parent;
        # the parallel readers are forks of this process and must not.
        if os.getpid() == main and which == "build":
            parent.stop()

    app.connect("build-finished", finished)
    atexit.register(at_exit)
    return parent
