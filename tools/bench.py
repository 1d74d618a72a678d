"""Measure the site build and the CLI: ``nox -s bench`` (a measurement, not a timed test).

Everything happens in a scratch copy of docs/ (and examples/), never in the real one. Measured:

- cold build: environments ready, execution cache empty;
- rebuild with nothing changed, and the same rebuild with execution switched off;
- the same two with every page re-read (``-E``): outputs come from the cache or not at all;
- rebuild after a prose-only edit to one page, and after a code edit to it, with the pages
  each one re-executed (counted from the build log); the code edit twice: as a one-off
  ``sphinx-build`` (which starts its own warm parent of the page kernels, so it pays one
  ``import tensorflow``) and as ``nox -s serve`` rebuilds (``LSTM_SITE_WARM_KERNELS=shared``:
  the benchmark stands in for sphinx-autobuild, whose parent lives across rebuilds);
- every page's code run as a plain Python program, two at a time: all its code cells, read
  as the build reads them (:mod:`lstm_site.page_code`), in one fresh interpreter, no Jupyter;
- the one-process floor: every page's code, one page after another, in one process that
  imports TensorFlow once (``keras.backend.clear_session()`` between pages); pages that
  start their own subprocesses are left out, and named;
- the CLI's answer time and ``python -c "import tensorflow"``;
- with ``--thread-caps N``: N pairs of cold builds, without and with each kernel capped to
  one thread (TensorFlow's intra- and inter-op pools, OpenMP), their outputs compared.

CPU seconds count every process a command started, the warm parent and its kernels too:
the benchmark is their subreaper (Linux), so they are its children when they end. The serve
rebuilds' CPU leaves out their kernel, which is the shared parent's child.

It prints a table and writes JSON. Targets: nothing-changed rebuild / execution off <= 1.2;
cold build / scripts two at a time <= 1.3; cold build / one-process floor <= 1.3; code
edit to the landing page rebuilt as ``nox -s serve`` rebuilds <= 3.5 s; prose edit
re-executes 0 pages, code edit 1; CLI / import tensorflow <= 0.05.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import platform
import re
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
from lstm_site.build_rules import KERNEL_ENV, SPHINX_OPTIONS, page_sources
from lstm_site.page_code import code_cells, run_cells

EXECUTED = re.compile(r"Executing notebook using")
#: Each kernel capped to one thread (``--thread-caps``): TensorFlow reads these two when it
#: makes its thread pools, oneDNN and PyTorch the third.
THREAD_CAPS = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "OMP_NUM_THREADS": "1"}
#: prctl(2): this process adopts its orphaned descendants (the warm parent of the kernels).
PR_SET_CHILD_SUBREAPER = 36
#: Seconds to wait for the processes a build left behind (its warm parent, stopping).
REAP_WAIT = 30
CLI = ["--units", "16", "--timesteps", "4", "--features", "10", "--return-sequences"]


def executed_pages(docs: Path) -> list[Path]:
    """The page sources that run code."""
    return [p for p in page_sources(docs) if "```{code-cell}" in p.read_text(encoding="utf-8")]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Clock:
    """Wall-clock and CPU seconds of the child processes run while it is open.

    :meth:`stop_wall` ends the wall-clock time early: what follows counts as CPU only.
    """

    def __enter__(self):
        self._start, self._end, self.cpu = time.perf_counter(), None, _cpu()
        return self

    def stop_wall(self) -> None:
        self._end = time.perf_counter()

    def __exit__(self, *exc):
        self.wall = (self._end or time.perf_counter()) - self._start
        self.cpu = _cpu() - self.cpu


def adopt_orphans() -> bool:
    """Make this process the subreaper of what it starts (Linux); whether it could."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap(wait: float) -> None:
    """Collect the adopted processes that end within ``wait`` seconds (their CPU counts)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() >= deadline:
                return
            time.sleep(0.05)


def timed(command: list[str], log: Path | None = None, env: dict | None = None, cwd=None, wait=0.0):
    """Run a command; return (Clock, output). Stops the benchmark if the command fails.

    The clock's CPU includes the processes it left that end within ``wait`` seconds.
    """
    with Clock() as clock:
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=cwd, check=False
        )
        clock.stop_wall()
        reap(wait)
    output = result.stdout + result.stderr
    if log is not None:
        log.write_text(output)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {shlex.join(command)}\n{output[-4000:]}")
    return clock, output


class Site:
    """A scratch copy of docs/ and the sphinx-build commands that build it."""

    def __init__(self, docs: Path, scratch: Path, sphinx_args: list[str], logs: Path):
        self.docs = scratch / "docs"
        ignore = shutil.ignore_patterns("_build", "jupyter_execute", ".ipynb_checkpoints")
        shutil.copytree(docs, self.docs, ignore=ignore)
        # Pages include and run the scripts in examples/, next to docs/.
        for sibling in ("examples",):
            if (docs.parent / sibling).is_dir():
                shutil.copytree(docs.parent / sibling, scratch / sibling, ignore=ignore)
        self.build = self.docs / "_build"
        self.sphinx_args = sphinx_args
        self.logs = logs
        self.logs.mkdir(parents=True, exist_ok=True)

    def run(
        self, name: str, *extra: str, out: str = "html", env: dict | None = None
    ) -> tuple[Clock, int]:
        """One sphinx-build; the clock and the number of pages it executed.

        With ``LSTM_SITE_WARM_KERNELS=shared`` in ``env`` the page kernels' parent outlives
        the build (this process is its owner), so the build's CPU leaves it out.
        """
        args = self.sphinx_args
        if "nb_execution_mode=off" in extra:  # pages lack their glued values, so no -W
            args = [a for a in args if a not in ("-W", "--keep-going")]
        command = [sys.executable, "-m", "sphinx", *args, "-d", str(self.build / f"doctrees-{out}")]
        command += [*extra, str(self.docs), str(self.build / out)]
        env = {**os.environ, **(env or {})}
        wait = 0.0 if env.get("LSTM_SITE_WARM_KERNELS") == "shared" else REAP_WAIT
        clock, output = timed(command, self.logs / f"{name}.log", env=env, wait=wait)
        return clock, len(EXECUTED.findall(output))

    def stop_shared_parents(self) -> None:
        """End the warm parents that serve rebuilds left running (their pid files)."""
        for pid_file in (self.build / "jupyter" / "warm").glob("*.pid"):
            with contextlib.suppress(ValueError, ProcessLookupError):
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            pid_file.unlink()
        reap(REAP_WAIT)

    def median(
        self, name: str, *extra: str, out: str = "html", repeat: int = 3, env=None, before=None
    ):
        """The median of ``repeat`` runs of a rebuild; ``before(i)`` runs before the i-th
        (an edit), or nothing changes between them."""
        runs = []
        for i in range(repeat):
            if before is not None:
                before(i)
            runs.append(self.run(f"{name}-{i}", *extra, out=out, env=env))
        return _median_clock([clock for clock, _ in runs]), max(n for _, n in runs)


def _median_clock(clocks: list[Clock]) -> Clock:
    median = Clock()
    median.wall = statistics.median(c.wall for c in clocks)
    median.cpu = statistics.median(c.cpu for c in clocks)
    return median


#: One page's program may run this long (s) before the benchmark calls it failed.
SCRIPT_TIMEOUT = 600


def run_scripts(pages: list[Path], scratch: Path, workers: int = 2) -> tuple[Clock, dict]:
    """Every page's code as one plain Python program, ``workers`` at a time."""
    docs = scratch / "docs"
    # The kernel environment pages run in, with a non-interactive figure backend.
    env = {**os.environ, **KERNEL_ENV, "MPLBACKEND": "Agg"}

    def one(page: Path) -> tuple[str, float, dict | None]:
        name = page.relative_to(docs).as_posix()
        work = scratch / "scripts" / name
        work.mkdir(parents=True)
        cells = code_cells(page, docs, visible_only=False)
        start = time.perf_counter()
        result = run_cells(cells, cwd=page.parent, scratch=work, env=env, timeout=SCRIPT_TIMEOUT)
        return name, time.perf_counter() - start, result["failure"]

    with Clock() as clock, ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(one, pages))
    return clock, {
        name: {"seconds": round(seconds, 2), "failure": failure}
        for name, seconds, failure in results
    }


#: The floor's driver, ``driver.py PAGES.json``: runs each page's cells, as its kernel would
#: (magics too), in this one IPython shell, from the page's folder, with a fresh namespace.
FLOOR_DRIVER = """
import json, os, sys, time
from IPython.core.interactiveshell import InteractiveShell
import keras
import matplotlib.pyplot as plt

shell = InteractiveShell.instance()
for page in json.load(open(sys.argv[1])):
    os.chdir(page["folder"])
    shell.reset(new_session=False)
    shell.extension_manager.loaded.clear()  # each page's %load_ext runs, as in a new kernel
    start = time.perf_counter()
    for cell in page["cells"]:
        result = shell.run_cell(cell["source"], silent=True)
        if not result.success and not cell["raises"]:
            sys.exit(f"{page['name']}: {result.error_before_exec or result.error_in_exec!r}")
    plt.close("all")
    keras.backend.clear_session()
    print(f"floor {time.perf_counter() - start:.2f} {page['name']}", flush=True)
"""


def starts_subprocesses(page: Path) -> bool:
    """Whether a page's code starts processes of its own (left out of the one-process floor)."""
    return "import subprocess" in page.read_text(encoding="utf-8")


def one_process_floor(pages: list[Path], scratch: Path) -> tuple[Clock, dict]:
    """Every page's code in one process, one page after another: one import of TensorFlow."""
    folder = scratch / "floor"
    folder.mkdir(parents=True, exist_ok=True)
    program, excluded = [], []
    for page in pages:
        name = page.relative_to(scratch / "docs").as_posix()
        if starts_subprocesses(page):
            excluded.append(name)
        else:
            program.append(
                {
                    "name": name,
                    "folder": str(page.parent),
                    "cells": code_cells(page, scratch / "docs", visible_only=False),
                }
            )
    (folder / "pages.json").write_text(json.dumps(program))
    (folder / "driver.py").write_text(FLOOR_DRIVER)
    env = {**os.environ, **KERNEL_ENV, "MPLBACKEND": "Agg"}
    command = [sys.executable, str(folder / "driver.py"), str(folder / "pages.json")]
    clock, output = timed(command, env=env)
    seconds = {
        line.split()[2]: float(line.split()[1])
        for line in output.splitlines()
        if line.startswith("floor ")
    }
    return clock, {"pages": len(program), "excluded": excluded, "seconds": seconds}


def compare_outputs(cold: Path, other: Path | None) -> dict | None:
    """The cold build's executed outputs against another build's (``site_outputs compare``)."""
    if other is None:
        return None
    from lstm_site import site_outputs

    pages, outputs, problems = site_outputs.compare(other, cold)
    return {"with": str(other), "pages": pages, "outputs": outputs, "problems": problems}


def median_of(command: list[str], repeat: int) -> Clock:
    return _median_clock([timed(command)[0] for _ in range(repeat)])


def edit_prose(page: Path) -> None:
    """Append a paragraph: Markdown only, no code cell touched."""
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added by the benchmark.\n")


def edit_code(page: Path, number: int = 1) -> None:
    """Add a statement to the page's last code cell, after the cell's options.

    Each ``number`` makes code the execution cache has not seen in this benchmark.
    """
    text = page.read_text(encoding="utf-8")
    marker = "```{code-cell} ipython3\n"
    at = text.rindex(marker) + len(marker)
    lines = text[at:].split("\n")
    body = 0
    while body < len(lines) and lines[body].startswith(":"):
        body += 1
    statement = f"_benchmark_edit = {number}"
    lines[body:body] = ["", statement] if body else [statement]
    page.write_text(text[:at] + "\n".join(lines))


#: How many serve rebuilds after a code edit are timed (the median is reported).
SERVE_REBUILDS = 3


def serve_rebuilds(site: Site, page: Path, first_edit: int) -> tuple[Clock, int]:
    """Code edits rebuilt as ``nox -s serve`` rebuilds them: one parent across rebuilds.

    The first rebuild starts the parent and is not counted; the median of the next
    :data:`SERVE_REBUILDS` is. The parent is stopped at the end.
    """
    shared = {"LSTM_SITE_WARM_KERNELS": "shared"}
    edit_code(page, first_edit)
    site.run("serve-first", env=shared)
    measured = site.median(
        "serve-code-edit",
        repeat=SERVE_REBUILDS,
        env=shared,
        before=lambda i: edit_code(page, first_edit + 1 + i),
    )
    site.stop_shared_parents()
    return measured


def thread_caps(site: Site, rounds: int) -> dict:
    """``rounds`` pairs of cold builds, kernels uncapped then capped; outputs compared."""
    seconds: dict[str, list[float]] = {"uncapped": [], "capped": []}
    sites = {}
    for round_ in range(rounds):
        for name, env in (("uncapped", {}), ("capped", THREAD_CAPS)):
            out = site.build / f"caps-{name}"
            shutil.rmtree(out, ignore_errors=True)
            cache = ("-D", f"nb_execution_cache_path={out / 'jupyter_cache'}")
            clock, _ = site.run(f"caps-{name}-{round_}", *cache, out=f"caps-{name}/html", env=env)
            seconds[name].append(round(clock.wall, 2))
            sites[name] = out / "html"
            print(f"  thread caps, round {round_ + 1}: {name} {clock.wall:.1f} s", flush=True)
    return {
        "caps": THREAD_CAPS,
        "seconds": seconds,
        "median_s": {name: statistics.median(values) for name, values in seconds.items()},
        "outputs_compared": compare_outputs(sites["capped"], sites["uncapped"]),
    }


def measure(args: argparse.Namespace) -> dict:
    sphinx_args = shlex.split(args.sphinx_args)
    logs = args.json.parent / "bench-logs"
    subreaper = adopt_orphans()
    with tempfile.TemporaryDirectory(prefix="lstm-outputs-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        site = Site(args.docs.resolve(), scratch, sphinx_args, logs)
        pages = executed_pages(site.docs)
        edited = site.docs / args.page
        print(f"{len(pages)} executed pages, copied to {site.docs}; logs in {logs}", flush=True)
        off = ("-D", "nb_execution_mode=off")
        m: dict[str, tuple[Clock, int | str]] = {}
        m["cold"] = site.run("cold")
        compared = compare_outputs(site.build / "html", args.compare_with)
        m["nothing"] = site.median("nothing-changed")
        site.run("off-first", *off, out="html-off")
        m["nothing-off"] = site.median("off-nothing", *off, out="html-off")
        m["reread"] = site.run("reread-cached", "-E")
        m["reread-off"] = site.run("reread-off", "-E", *off, out="html-off")
        edit_prose(edited)
        m["prose"] = site.run("prose-edit")
        edit_code(edited, 1)
        m["code"] = site.run("code-edit")
        m["serve"] = serve_rebuilds(site, edited, 2)
        caps = thread_caps(site, args.thread_caps) if args.thread_caps else None
        scripts, per_script = run_scripts(pages, scratch)
        m["scripts"] = (scripts, len(pages))
        floor, floor_pages = one_process_floor(pages, scratch)
        m["floor"] = (floor, floor_pages["pages"])
    bindir = Path(sys.executable).parent
    m["cli"] = (median_of([str(bindir / "lstm-outputs"), *CLI], 7), "")
    m["tf"] = (median_of([sys.executable, "-c", "import tensorflow"], 3), "")
    return {
        "measurements": m,
        "pages": pages,
        "scripts": per_script,
        "floor": floor_pages,
        "compared": compared,
        "thread_caps": caps,
        "cpu_counts_adopted_processes": subreaper,
        "site": site,
    }


def labels(page: str) -> dict[str, str]:
    """What each measurement is, as the table prints it."""
    return {
        "cold": "cold build (execution cache empty)",
        "nothing": "rebuild, nothing changed",
        "nothing-off": "rebuild, nothing changed, execution off",
        "reread": "re-read every page (-E), outputs from cache",
        "reread-off": "re-read every page (-E), execution off",
        "prose": f"rebuild after a prose edit to {page}",
        "code": f"rebuild after a code edit to {page}",
        "serve": f"the same, as nox -s serve rebuilds (median of {SERVE_REBUILDS})",
        "scripts": "every page's code as a script, 2 at a time",
        "floor": "one-process floor (one import, pages in turn)",
        "cli": "CLI answer (median of 7)",
        "tf": "python -c 'import tensorflow' (median of 3)",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=Path("docs"))
    parser.add_argument("--json", type=Path, default=Path("docs/_build/bench.json"))
    parser.add_argument("--sphinx-args", default=shlex.join(SPHINX_OPTIONS))
    parser.add_argument("--page", default="index.md", help="the page to edit, under --docs")
    parser.add_argument(
        "--compare-with", type=Path, help="a built site whose outputs the cold build must equal"
    )
    parser.add_argument(
        "--thread-caps",
        type=int,
        default=0,
        metavar="N",
        help="also N pairs of cold builds, kernels uncapped and capped to one thread",
    )
    args = parser.parse_args(argv)
    if args.thread_caps < 0:
        parser.error(f"argument --thread-caps: must be at least 0, got {args.thread_caps}")
    run = measure(args)
    m = run["measurements"]
    wall = {key: clock.wall for key, (clock, _) in m.items()}
    cpu = {key: clock.cpu for key, (clock, _) in m.items()}
    ratios = {
        "rebuild nothing changed / same, execution off": (
            wall["nothing"] / wall["nothing-off"],
            "<=",
            1.2,
        ),
        "re-read from cache / re-read, execution off": (
            wall["reread"] / wall["reread-off"],
            "<=",
            1.2,
        ),
        "cold build / scripts two at a time": (wall["cold"] / wall["scripts"], "<=", 1.3),
        "cold build / one-process floor": (wall["cold"] / wall["floor"], "<=", 1.3),
        "the same in CPU seconds": (cpu["cold"] / cpu["floor"], "<=", 1.3),
        f"code edit to {args.page}, rebuilt by nox -s serve, s": (wall["serve"], "<=", 3.5),
        "pages re-executed after a prose edit": (m["prose"][1], "==", 0),
        "pages re-executed after a code edit": (m["code"][1], "==", 1),
        "CLI answer / import tensorflow": (wall["cli"] / wall["tf"], "<=", 0.05),
    }
    names = labels(args.page)
    print(f"\n{'measurement':<58} {'wall s':>8} {'CPU s':>8}  pages executed")
    for key, (clock, count) in m.items():
        print(f"{names[key]:<58} {clock.wall:>8.2f} {clock.cpu:>8.2f}  {count}")
    if not run["cpu_counts_adopted_processes"]:
        print("(CPU seconds leave out the warm parent and its kernels: no subreaper here)")
    print(f"\n{'ratio or count':<58} {'value':>8}  target   met")
    results_ratios = {}
    for name, (value, op, target) in ratios.items():
        met = value <= target if op == "<=" else value == target
        results_ratios[name] = {"value": round(value, 3), "target": f"{op} {target}", "met": met}
        print(f"{name:<58} {value:>8.3f}  {op} {target:<5} {'yes' if met else 'NO'}")
    excluded = run["floor"]["excluded"]
    if excluded:
        print(f"\nleft out of the one-process floor (they start processes): {', '.join(excluded)}")
    caps = run["thread_caps"]
    if caps:
        median = caps["median_s"]
        compared = caps["outputs_compared"]
        print(
            f"\ncold builds, kernels uncapped: {caps['seconds']['uncapped']} s (median "
            f"{median['uncapped']:.1f}); capped to one thread: {caps['seconds']['capped']} s "
            f"(median {median['capped']:.1f}); outputs: {compared['pages']} pages, "
            f"{compared['outputs']} compared, {len(compared['problems'])} differ"
        )
        for problem in compared["problems"]:
            print(f"  {problem}")
    if run["compared"]:
        c = run["compared"]
        print(f"\ncold build vs {c['with']}: {c['pages']} pages, {c['outputs']} outputs compared")
        for problem in c["problems"]:
            print(f"  {problem}")
    failed = {name: r["failure"] for name, r in run["scripts"].items() if r["failure"]}
    for name, failure in failed.items():
        print(
            f"\npage code failed as a plain program: {failure['where'] or name}: "
            f"{failure['error']}\n{failure['traceback']}"
        )
    results = {
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "sphinx_args": shlex.split(args.sphinx_args),
        "pages": [p.relative_to(run["site"].docs).as_posix() for p in run["pages"]],
        "measurements": {
            names[key]: {"wall_s": round(c.wall, 3), "cpu_s": round(c.cpu, 3), "pages_executed": n}
            for key, (c, n) in m.items()
        },
        "ratios": results_ratios,
        "scripts": run["scripts"],
        "one_process_floor": run["floor"],
        "compared": run["compared"],
        "thread_caps": caps,
        "page_kernels": os.environ.get("LSTM_SITE_WARM_KERNELS", "warm (default)"),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1))
    print(f"\nwritten: {args.json}")
    return 1 if failed else 0  # without every page's code, the scripts' time is no floor


if __name__ == "__main__":
    sys.exit(main())
