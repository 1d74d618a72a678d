"""A fork server of page kernels: imports TensorFlow, Keras, NumPy and matplotlib once, then
forks one fresh IPython kernel per request (``python warm_parent.py SOCKET OWNER_PID``).

Run as a script by :mod:`lstm_site.execution.warm_kernels`, never imported by the build. It
imports no ``lstm_outputs`` and nothing under ``src/``: a forked kernel imports the package
itself, so an edit to it is seen at once. It is single-threaded (a ``selectors`` loop), so
at each fork the only thread is the one that forks; TensorFlow's import leaves one idle
native thread of its own, which the child does not inherit and never needs.

A request is one JSON line sent by :mod:`lstm_site.execution.warm_launch` with its stdin,
stdout and stderr attached (``SCM_RIGHTS``): ``{"cwd", "env", "argv"}``. The child becomes
the kernel: its own session, those streams, that folder and environment, NumPy's global
generator reseeded (Python's ``random`` reseeds at fork by itself, NumPy's does not), then
``IPKernelApp`` as ``ipykernel_launcher`` would run it. It sends ``{"pid"}``, waits for the
launcher's ``go`` and, when it ends, ``{"exit": code}``. The parent exits when the process
``OWNER_PID`` has gone (the build, or ``sphinx-autobuild`` across rebuilds).
"""

import contextlib
import gc
import json
import os
import selectors
import signal
import socket
import sys
import threading
import warnings

#: The environment the parent was started with (before :func:`warm_up` changes it).
ENV_AT_START = dict(os.environ)

#: Variables read once, at interpreter start or at the imports of :func:`warm_up`: a
#: request whose value differs from the parent's would get a kernel unlike a plain one.
READ_AT_IMPORT = ("PYTHON", "KERAS_", "TF_", "MPL", "MATPLOTLIB", "OMP_", "XLA_", "LD_")


def warm_up() -> None:
    """Import what the pages import, once, before any fork."""
    # A kernel's matplotlib backend, as ipykernel sets it when unset: TensorFlow imports
    # matplotlib, which reads MPLBACKEND at import.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import ipykernel.kernelapp  # noqa: F401
    import keras  # noqa: F401
    import matplotlib  # noqa: F401
    import numpy  # noqa: F401
    import tensorflow  # noqa: F401

    quiet_fork_warning()


def quiet_fork_warning() -> None:
    """Python 3.12+ warns at a fork of a process that has threads: never on stderr.

    This process forks with one Python thread; the native thread TensorFlow's import
    leaves is idle, and a child does not inherit it.
    """
    warnings.filterwarnings(
        "ignore", message=r"This process .* is multi-threaded", category=DeprecationWarning
    )


def os_threads() -> int:
    """The number of native threads of this process (Linux)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def refused(env: dict) -> str | None:
    """Why a kernel with this environment cannot come from this parent, if it cannot.

    >>> refused(ENV_AT_START) is None
    True
    >>> print(refused({**ENV_AT_START, "KERAS_BACKEND": "jax"}))
    KERAS_BACKEND differs from the warm parent's
    """
    for key in sorted(env.keys() | ENV_AT_START.keys()):
        if key.startswith(READ_AT_IMPORT) and env.get(key) != ENV_AT_START.get(key):
            return f"{key} differs from the warm parent's"
    return None


def send(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def watch_launcher(conn: socket.socket) -> None:
    """End this kernel at once when its launcher has gone (killed by the kernel manager)."""
    while True:
        try:
            if not conn.recv(64):
                break
        except InterruptedError:
            continue
        except OSError:
            break
    os._exit(1)


def become_kernel(conn: socket.socket, request: dict, fds: list[int]) -> int:
    """In the child: become the kernel the launcher asked for; return its exit code."""
    import ipykernel.kernelapp
    import numpy

    os.setsid()
    for target, fd in enumerate(fds[:3]):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.environ["LSTM_SITE_KERNEL_START"] = "forked"
    sys.argv = [ipykernel.kernelapp.__file__, *request["argv"]]
    numpy.random.seed()
    send(conn, {"pid": os.getpid(), "threads_at_fork": request["threads_at_fork"]})
    if conn.recv(2) != b"go":  # the launcher gave up waiting and started a plain kernel
        return 1
    conn.settimeout(None)
    threading.Thread(target=watch_launcher, args=(conn,), daemon=True).start()
    app = ipykernel.kernelapp.IPKernelApp.instance()
    app.initialize()
    app.poller = None  # its parent is the launcher: watch_launcher does the polling
    app.start()
    return 0


def serve_child(conn: socket.socket, request: dict, fds: list[int]) -> None:
    code = 1
    try:
        code = become_kernel(conn, request, fds)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return
        import traceback

        traceback.print_exc()
    finally:
        import atexit

        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        with contextlib.suppress(OSError):
            send(conn, {"exit": code})
        os._exit(code)


def fork_kernel(conn: socket.socket, children: set[int], closing: list) -> None:
    """Read one request and fork its kernel (or answer why not)."""
    data, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
    while not data.endswith(b"\n"):
        more = conn.recv(1 << 20)
        if not more:
            break
        data += more
    request = json.loads(data)
    reason = refused(request["env"]) or (None if len(fds) == 3 else "no streams received")
    if reason:
        send(conn, {"refused": reason})
        for fd in fds:
            os.close(fd)
        return
    request["threads_at_fork"] = [threading.active_count(), os_threads()]
    pid = os.fork()
    if pid == 0:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for sock in closing:
            sock.close()
        serve_child(conn, request, fds)
    children.add(pid)
    for fd in fds:
        os.close(fd)


def owner_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def main(path: str, owner: int) -> None:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Bound and listening under another name first: the socket's path appears ready.
    server.bind(f"{path}.{os.getpid()}")
    server.listen(16)
    os.rename(f"{path}.{os.getpid()}", path)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # SIGCHLD wakes the loop, which reaps the kernels that ended.
    wake_read, wake_write = socket.socketpair()
    wake_read.setblocking(False)
    wake_write.setblocking(False)
    signal.set_wakeup_fd(wake_write.fileno())
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    children: set[int] = set()
    print(f"warm parent {os.getpid()} ready on {path}", flush=True)
    try:
        while owner_alive(owner):
            for key, _ in selector.select(timeout=1.0):
                if key.fileobj is wake_read:
                    while True:
                        try:
                            if not wake_read.recv(512):
                                break
                        except BlockingIOError:
                            break
                    continue
                conn, _ = server.accept()
                with conn:
                    conn.settimeout(10)
                    try:
                        fork_kernel(conn, children, [server, wake_read, wake_write])
                    except (OSError, ValueError, KeyError) as error:
                        print(f"request failed: {error!r}", flush=True)
            for pid in list(children):
                if os.waitpid(pid, os.WNOHANG)[0]:
                    children.discard(pid)
    finally:
        server.close()
        # The socket, and the launchers' lock beside it (a parent that outlived its build,
        # as under nox -s serve, ends here, not in the build's stop).
        for leftover in (path, f"{path}.lock"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)


if __name__ == "__main__":
    # As ipykernel_launcher does: this script's folder off sys.path; the kernel adds the cwd.
    del sys.path[0]
    warm_up()
    # What the imports made (some 400,000 objects) moves to the permanent generation, as
    # Python's documentation advises before a fork: a kernel's garbage collections skip
    # them (a full collection over them cost a page 0.3 s of two SVGs' parsing) and leave
    # their pages shared with this process instead of copying them.
    gc.freeze()
    main(sys.argv[1], int(sys.argv[2]))
