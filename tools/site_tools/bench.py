"""Measure the site build, its pages and the CLI against their targets: ``nox -s bench``.

A measurement, not a timed test: it exits non-zero when a target is missed (or a page's code
fails), and says which. Everything happens in a scratch copy of docs/ (and examples/), never
in the real one. Measured, with what each target protects:

- cold build (execution cache empty), against every page's code run as a plain Python
  program two at a time (:mod:`site_tools.page_code`; no Jupyter): cold / scripts <= 1.3
  keeps the build's own cost (kernels, parallel reading, writing) small beside the pages';
- the slowest page's code as a script <= 20 s: every page stays fast on 2 cores;
- rebuild with nothing changed, against the same with execution off: <= 1.2 keeps the
  execution cache as cheap as not executing at all;
- rebuild after a prose-only edit to one page re-executes 0 pages, after a code edit 1:
  the cache is keyed on code, and only the edited page runs again;
- that code edit rebuilt as ``nox -s serve`` rebuilds it (``LSTM_SITE_WARM_KERNELS=shared``:
  the benchmark stands in for sphinx-autobuild, whose warm parent lives across rebuilds),
  median of 3 <= 5 s: the editing loop stays quick;
- the CLI's answer against ``python -c "import tensorflow"``: <= 0.05, the CLI never
  imports TensorFlow; the same for its ``--json`` answer on a ConvLSTM layer.

Also reported, with no target: the same code edit as a one-off ``sphinx-build`` (it starts
its own warm parent, so it pays one ``import tensorflow``), and each page's script time.
CPU seconds count every process a command started, the warm parent and its kernels too:
the benchmark is their subreaper (Linux), so they are its children when they end.
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

from lstm_site.execution.kernel import KERNEL_ENV

from site_tools import site_outputs, sphinx_build
from site_tools.page_code import code_cells, run_cells
from site_tools.pages import page_sources

EXECUTED = re.compile(r"Executing notebook using")
#: prctl(2): this process adopts its orphaned descendants (the warm parent of the kernels).
PR_SET_CHILD_SUBREAPER = 36
#: Seconds to wait for the processes a build left behind (its warm parent, stopping).
REAP_WAIT = 30
CLI = ["--units", "16", "--timesteps", "4", "--features", "10", "--return-sequences"]
CLI_JSON = ["--layer", "ConvLSTM2D", "--units", "4", "--kernel-size", "3", "--spatial", "8", "8",
            "--features", "3", "--timesteps", "5", "--json"]  # fmt: skip


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

    def __init__(self, docs: Path, scratch: Path, logs: Path):
        self.docs = scratch / "docs"
        ignore = shutil.ignore_patterns("_build", "jupyter_execute", ".ipynb_checkpoints")
        shutil.copytree(docs, self.docs, ignore=ignore)
        # Pages include and run the scripts in examples/, next to docs/.
        for sibling in ("examples",):
            if (docs.parent / sibling).is_dir():
                shutil.copytree(docs.parent / sibling, scratch / sibling, ignore=ignore)
        self.build = self.docs / "_build"
        self.logs = logs
        self.logs.mkdir(parents=True, exist_ok=True)

    def run(
        self, name: str, *extra: str, out: str = "html", env: dict | None = None
    ) -> tuple[Clock, int]:
        """One sphinx-build; the clock and the number of pages it executed.

        With ``LSTM_SITE_WARM_KERNELS=shared`` in ``env`` the page kernels' parent outlives
        the build (this process is its owner), so the build's CPU leaves it out.
        """
        options = sphinx_build.OPTIONS
        if "nb_execution_mode=off" in extra:  # pages lack their glued values, so no -W
            options = tuple(a for a in options if a not in ("-W", "--keep-going"))
        command = sphinx_build.command(
            self.docs, self.build / out, doctrees=self.build / f"doctrees-{out}", options=options
        )
        command[-2:-2] = extra
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


def compare_outputs(cold: Path, other: Path | None) -> dict | None:
    """The cold build's executed outputs against another build's (``site_outputs compare``)."""
    if other is None:
        return None
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


def measure(args: argparse.Namespace) -> dict:
    logs = args.json.parent / "bench-logs"
    subreaper = adopt_orphans()
    with tempfile.TemporaryDirectory(prefix="lstm-outputs-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        site = Site(args.docs.resolve(), scratch, logs)
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
        edit_prose(edited)
        m["prose"] = site.run("prose-edit")
        edit_code(edited, 1)
        m["code"] = site.run("code-edit")
        m["serve"] = serve_rebuilds(site, edited, 2)
        scripts, per_script = run_scripts(pages, scratch)
        m["scripts"] = (scripts, len(pages))
    bindir = Path(sys.executable).parent
    m["cli"] = (median_of([str(bindir / "lstm-outputs"), *CLI], 7), "")
    m["cli-json"] = (median_of([str(bindir / "lstm-outputs"), *CLI_JSON], 7), "")
    m["tf"] = (median_of([sys.executable, "-c", "import tensorflow"], 3), "")
    return {
        "measurements": m,
        "pages": pages,
        "scripts": per_script,
        "compared": compared,
        "cpu_counts_adopted_processes": subreaper,
        "site": site,
    }


def labels(page: str) -> dict[str, str]:
    """What each measurement is, as the table prints it."""
    return {
        "cold": "cold build (execution cache empty)",
        "nothing": "rebuild, nothing changed",
        "nothing-off": "rebuild, nothing changed, execution off",
        "prose": f"rebuild after a prose edit to {page}",
        "code": f"rebuild after a code edit to {page}",
        "serve": f"the same, as nox -s serve rebuilds (median of {SERVE_REBUILDS})",
        "scripts": "every page's code as a script, 2 at a time",
        "cli": "CLI answer (median of 7)",
        "cli-json": "CLI --json answer, ConvLSTM2D (median of 7)",
        "tf": "python -c 'import tensorflow' (median of 3)",
    }


#: Each target: (the value's name, comparison, the target). See the module's docstring for
#: what each one protects.
SLOWEST_PAGE_S = 20


def targets(m: dict, scripts: dict, page: str) -> dict[str, tuple[float, str, float]]:
    """The measured value of each target.

    >>> class C:
    ...     wall = 1.0
    >>> m = {k: (C(), 0) for k in ("cold", "scripts", "nothing", "nothing-off", "prose", "serve")}
    >>> m |= {"code": (C(), 1), "cli": (C(), ""), "cli-json": (C(), ""), "tf": (C(), "")}
    >>> found = targets(m, {"a.md": {"seconds": 3.0}}, "index.md")
    >>> [name for name, (value, op, target) in found.items() if not met(value, op, target)]
    ['CLI answer / import tensorflow', 'CLI --json answer / import tensorflow']
    """
    wall = {key: clock.wall for key, (clock, _) in m.items()}
    slowest = max((r["seconds"] for r in scripts.values()), default=0.0)
    return {
        "cold build / scripts two at a time": (wall["cold"] / wall["scripts"], "<=", 1.3),
        "slowest page's code as a script, s": (slowest, "<=", SLOWEST_PAGE_S),
        "rebuild nothing changed / same, execution off": (
            wall["nothing"] / wall["nothing-off"],
            "<=",
            1.2,
        ),
        "pages re-executed after a prose edit": (m["prose"][1], "==", 0),
        "pages re-executed after a code edit": (m["code"][1], "==", 1),
        f"code edit to {page}, rebuilt by nox -s serve, s": (wall["serve"], "<=", 5.0),
        "CLI answer / import tensorflow": (wall["cli"] / wall["tf"], "<=", 0.05),
        "CLI --json answer / import tensorflow": (wall["cli-json"] / wall["tf"], "<=", 0.05),
    }


def met(value: float, op: str, target: float) -> bool:
    """Whether a value meets its target.

    >>> met(1.0, "<=", 1.2), met(2, "==", 1)
    (True, False)
    """
    return value <= target if op == "<=" else value == target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=sphinx_build.DOCS)
    parser.add_argument("--json", type=Path, default=sphinx_build.BUILD / "bench.json")
    parser.add_argument("--page", default="index.md", help="the page to edit, under --docs")
    parser.add_argument(
        "--compare-with", type=Path, help="a built site whose outputs the cold build must equal"
    )
    args = parser.parse_args(argv)
    run = measure(args)
    m = run["measurements"]
    names = labels(args.page)
    print(f"\n{'measurement':<58} {'wall s':>8} {'CPU s':>8}  pages executed")
    for key, (clock, count) in m.items():
        print(f"{names[key]:<58} {clock.wall:>8.2f} {clock.cpu:>8.2f}  {count}")
    if not run["cpu_counts_adopted_processes"]:
        print("(CPU seconds leave out the warm parent and its kernels: no subreaper here)")
    print(f"\n{'page as a script':<58} {'wall s':>8}")
    for name, result in sorted(run["scripts"].items(), key=lambda item: -item[1]["seconds"]):
        print(f"{name:<58} {result['seconds']:>8.2f}")
    print(f"\n{'target':<58} {'value':>8}  target   met")
    results, missed = {}, []
    for name, (value, op, target) in targets(m, run["scripts"], args.page).items():
        ok = met(value, op, target)
        results[name] = {"value": round(value, 3), "target": f"{op} {target}", "met": ok}
        print(f"{name:<58} {value:>8.3f}  {op} {target:<5} {'yes' if ok else 'NO'}")
        if not ok:
            missed.append(name)
    problems = []
    if run["compared"]:
        c = run["compared"]
        print(f"\ncold build vs {c['with']}: {c['pages']} pages, {c['outputs']} outputs compared")
        problems += c["problems"]
    failed = {name: r["failure"] for name, r in run["scripts"].items() if r["failure"]}
    for name, failure in failed.items():
        problems.append(
            f"page code failed as a plain program: {failure['where'] or name}: "
            f"{failure['error']}\n{failure['traceback']}"
        )
    for problem in problems:
        print(f"\n{problem}")
    results_json = {
        "machine": {
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "sphinx_options": list(sphinx_build.OPTIONS),
        "pages": [p.relative_to(run["site"].docs).as_posix() for p in run["pages"]],
        "measurements": {
            names[key]: {"wall_s": round(c.wall, 3), "cpu_s": round(c.cpu, 3), "pages_executed": n}
            for key, (c, n) in m.items()
        },
        "targets": results,
        "scripts": run["scripts"],
        "compared": run["compared"],
        "page_kernels": os.environ.get("LSTM_SITE_WARM_KERNELS", "warm (default)"),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results_json, indent=1))
    print(f"\nwritten: {args.json}")
    if missed:
        print(f"\nmissed {len(missed)} target(s): {'; '.join(missed)}")
    return 1 if missed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
