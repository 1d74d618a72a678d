"""The kernel command of a page: get a kernel forked from the warm parent, or start a plain one.

``python warm_launch.py SOCKET LOG OWNER PARENT PID_FILE -f CONNECTION_FILE [options]``,
run by jupyter_client like any kernel. The first launcher for an OWNER starts the parent
(the script PARENT, its pid written to PID_FILE; never a second one for that owner). It sends the parent its folder, environment and kernel
options with its stdin, stdout and stderr (:mod:`lstm_site.execution.warm_parent`), then
stands in for the forked kernel: signals the kernel manager sends it (interrupt, terminate)
go to the kernel, and it exits with the kernel's exit code. If the manager kills it, the kernel
sees its launcher gone and ends too. When no kernel can be forked (no parent, a parent that
does not answer, a refused environment) it becomes ``python -m ipykernel_launcher`` with
the same options. Each outcome is one line appended to LOG, which the build reports.

Standard library only: it starts in well under a second, and the kernel imports the rest.
"""

import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time

#: Seconds to wait for the parent's answer before starting a plain kernel: forking takes
#: milliseconds, so only a stopped or wedged parent is this slow.
ANSWER_TIMEOUT = 20
#: Seconds to wait for a starting parent's imports (about 4 s on an idle machine) before
#: starting this kernel plainly; later kernels still get forked. On a 2-core machine under
#: load 10-16 (several builds at once) the imports took 27-35 s, and a plain kernel would pay
#: the same imports, so waiting long costs nothing.
STARTUP_WAIT = 120
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def record(log: str, line: str) -> None:
    """Append one line to the log (O_APPEND: lines of concurrent launchers never mix)."""
    try:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (line.replace("\n", " ") + "\n").encode())
        finally:
            os.close(fd)
    except OSError:
        pass


def read_message(conn: socket.socket, pending: bytearray) -> dict | None:
    """The next JSON line from the connection, or None at its end.

    >>> ours, theirs = socket.socketpair()
    >>> theirs.sendall(b'{"pid": 7}' + bytes([10]) + b'{"exit": 0}' + bytes([10]))
    >>> theirs.close()
    >>> pending = bytearray()
    >>> read_message(ours, pending), read_message(ours, pending), read_message(ours, pending)
    ({'pid': 7}, {'exit': 0}, None)
    >>> ours.close()
    """
    while b"\n" not in pending:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        pending += chunk
    line, _, rest = bytes(pending).partition(b"\n")
    pending[:] = rest
    return json.loads(line)


def plain_kernel(log: str, reason: str, options: list[str]) -> None:
    record(log, f"fallback {os.getpid()}: {reason}")
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *options])


def ask_for_kernel(path: str, options: list[str]) -> tuple[socket.socket, dict, bytearray]:
    """Ask the parent for a kernel: the connection and its answer; OSError if none came."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(ANSWER_TIMEOUT)
    conn.connect(path)
    request = {"cwd": os.getcwd(), "env": dict(os.environ), "argv": options}
    socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    pending = bytearray()
    answer = read_message(conn, pending)
    if answer is None or "pid" not in answer:
        raise OSError((answer or {}).get("refused", "the warm parent closed the connection"))
    return conn, answer, pending


def started_alive(pid_file: str) -> bool:
    """Whether the parent recorded in the pid file is still running."""
    try:
        with open(pid_file) as file:
            os.kill(int(file.read()), 0)
    except (OSError, ValueError):
        return False
    return True


def start_parent(path: str, owner: str, script: str, pid_file: str) -> None:
    """Start the owner's parent unless one was started; wait (a while) until it listens."""
    lock = os.open(f"{path}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(pid_file):
            parent = None
        else:
            folder = os.path.dirname(pid_file)
            with open(os.path.join(folder, "parent.log"), "ab") as out:
                parent = subprocess.Popen(
                    [sys.executable, script, path, owner],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    cwd=folder,
                    start_new_session=True,
                )
            with open(pid_file, "w") as file:
                file.write(str(parent.pid))
    finally:
        os.close(lock)
    deadline = time.monotonic() + STARTUP_WAIT
    while not os.path.exists(path) and time.monotonic() < deadline:
        if parent is not None and parent.poll() is not None:
            return
        if parent is None and not started_alive(pid_file):
            return
        time.sleep(0.05)


def main(argv: list[str]) -> int:
    path, log, owner, script, pid_file, *options = argv
    try:
        if not os.path.exists(path):
            start_parent(path, owner, script, pid_file)
        conn, answer, pending = ask_for_kernel(path, options)
    except (OSError, ValueError) as error:
        plain_kernel(log, str(error) or type(error).__name__, options)
    pid = answer["pid"]
    for signum in FORWARDED:
        signal.signal(signum, lambda signum, _frame: os.kill(pid, signum))
    record(log, f"forked {pid} threads at fork {answer['threads_at_fork']}")
    try:
        conn.sendall(b"go")
        conn.settimeout(None)
        ended = read_message(conn, pending)
    except (OSError, ValueError):
        ended = None
    return ended["exit"] if ended else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
