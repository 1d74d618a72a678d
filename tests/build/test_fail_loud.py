"""A broken page fails the build, loudly, and the message names the page.

Each test copies docs/ (the real conf.py, templates and static files) to a scratch folder,
keeps only a tiny index and one tiny page (the real pages would cost a TensorFlow import
each), breaks that page in one way, and runs sphinx-build exactly as ``nox -s docs`` does.
The control builds the same page unbroken, so a failure is the break's doing. Each broken
page is then built again in place, unchanged, and that second build must fail too.

The builds run in two lanes, each a scratch copy whose builds run one after another: before
each page's first build the lane's build output is removed (a cold build, as from
scratch), all but its kernelspec folder. The page kernels come from one warm parent per
lane, kept across its builds as ``nox -s serve`` keeps it (``LSTM_SITE_WARM_KERNELS=shared``),
so a lane pays TensorFlow's import once, not once a build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from lstm_site.execution.kernel import kernel_env
from lstm_site.execution.warm_kernels import SWITCH, WarmParent
from site_tools import sphinx_build

# Its builds start Jupyter kernels: one xdist group for all such tests (tests/conftest.py).
pytestmark = pytest.mark.jupyter_kernels

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# Sorted after "index", which Sphinx writes first in its own process: with more than one core,
# this page is written by a parallel writer, where a failing handler could lose it silently.
PAGE = "the-guarded-page"
# As every build of the site runs it: two pages, so the parallel reader (and writer) is used.

FRONT_MATTER = """\
---
file_format: mystnb
kernelspec:
  name: python3
  display_name: Python 3
---
"""

# Plain MyST, not a notebook: no kernel to start.
INDEX = f"""\
# Scratch site

```{{toctree}}
{PAGE}
```
"""

CELL = "```{{code-cell}} ipython3\n{}\n```\n"
GOOD_CELL = CELL.format("total = sum(range(4))\nprint(total)")

# kind -> (what the page gets, a phrase on the output line that names the page, a detail the
# output must also carry so a reader knows what broke).
BREAKS = {
    "raises": (
        CELL.format('raise RuntimeError("a cell that raises")'),
        "ExecutionError",
        "RuntimeError",
    ),
    "assertion": (
        CELL.format('assert sum(range(4)) == 7, "the claim is false"'),
        "ExecutionError",
        "AssertionError",
    ),
    "cross-reference": (
        "See {doc}`a-page-that-does-not-exist`.\n",
        "unknown document",
        "a-page-that-does-not-exist",
    ),
    # A role Sphinx renders but the page's downloadable notebook cannot show.
    "reader-notebook": (
        "Press {kbd}`Ctrl` to copy.\n",
        "the reader's notebook cannot be built",
        "{kbd}",
    ),
    "stderr-warning": (
        CELL.format('import warnings\n\nwarnings.warn("a cell that warns")'),
        "stderr was found in the cell outputs",
        "[mystnb.stderr]",
    ),
}


def _page(body: str) -> str:
    return f"{FRONT_MATTER}\n# The guarded page\n\nSome prose.\n\n{GOOD_CELL}\n{body}"


#: The lanes: each builds its pages one after another (the unbroken control first).
LANES = (
    ("unbroken", "assertion", "reader-notebook"),
    ("cross-reference", "raises", "stderr-warning"),
)


def _scratch(lane: Path) -> Path:
    source = lane / "docs"  # lane / "docs" / f"{PAGE}.md" is the page
    shutil.copytree(
        DOCS,
        source,
        ignore=shutil.ignore_patterns("_build", "jupyter_execute", ".ipynb_checkpoints"),
    )
    for page in [*source.rglob("*.md"), *source.rglob("*.ipynb")]:
        page.unlink()
    (source / "index.md").write_text(INDEX)
    return source


def _sphinx(source: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        sphinx_build.command(source, source / "_build" / "html", doctrees=None),
        capture_output=True,
        text=True,
        timeout=300,
        # The builds of a lane share its warm parent, which lives until the lane is stopped.
        env={**os.environ, SWITCH: "shared"},
        check=False,
    )


def _cold(source: Path) -> None:
    """Remove the lane's build output but the kernelspec folder (where its warm parent's
    files are): the next build starts from scratch."""
    build = source / "_build"
    for path in build.iterdir() if build.is_dir() else ():
        if path.name != "jupyter":
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def _run_lane(lane: Path, kinds: tuple[str, ...]) -> dict:
    """Each page's cold build, and for a broken page a second build, nothing changed."""
    source = _scratch(lane)
    results = {}
    for kind in kinds:
        _cold(source)
        (source / f"{PAGE}.md").write_text(_page(VARIANTS[kind]))
        results[kind] = _sphinx(source)
        if kind in BREAKS:
            results[kind, "again"] = _sphinx(source)
    return results


def _stop_warm_parent(lane: Path) -> None:
    jupyter = (lane / "docs" / "_build" / "jupyter").resolve()
    WarmParent(jupyter, os.getpid(), kernel_env(jupyter / "matplotlibrc")).stop()


VARIANTS = {"unbroken": "", **{kind: body for kind, (body, _, _) in BREAKS.items()}}


@pytest.fixture(scope="module")
def builds() -> dict:
    assert sorted(k for lane in LANES for k in lane) == sorted(VARIANTS), "a page in no lane"
    with tempfile.TemporaryDirectory() as scratch:
        lanes = [Path(scratch) / f"lane-{i}" for i in range(len(LANES))]
        try:
            with ThreadPoolExecutor(len(LANES)) as pool:
                futures = [pool.submit(_run_lane, *lane) for lane in zip(lanes, LANES, strict=True)]
                return {kind: r for future in futures for kind, r in future.result().items()}
        finally:
            for lane in lanes:
                _stop_warm_parent(lane)


def test_the_unbroken_page_builds(builds):
    result = builds["unbroken"]
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_a_broken_page_fails_the_build_and_is_named(builds, kind):
    result = builds[kind]
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{kind}: the build succeeded\n{output}"
    _, phrase, detail = BREAKS[kind]
    naming = [line for line in output.splitlines() if f"{PAGE}.md" in line and phrase in line]
    assert naming, (
        f"{kind}: no line names {PAGE}.md with {phrase!r}\n{textwrap.indent(output, '  ')}"
    )
    assert detail in output, f"{kind}: {detail!r} not in the output\n{output}"


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_a_broken_page_fails_the_next_build_too(builds, kind):
    """An unchanged rebuild must not call the broken site up to date (lstm_site.warned_builds)."""
    result = builds[kind, "again"]
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"{kind}: the second build succeeded\n{output}"
    _, phrase, _ = BREAKS[kind]
    assert any(f"{PAGE}.md" in line and phrase in line for line in output.splitlines()), output
