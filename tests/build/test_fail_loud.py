"""A broken page fails the build, loudly, and the message names the page.

Each test copies docs/ (the real conf.py, templates and static files) to a scratch folder,
keeps only a tiny index and one tiny page (the real pages would cost a TensorFlow import
each), breaks that page in one way, and runs sphinx-build exactly as ``nox -s docs`` does.
The control builds the same page unbroken, so a failure is the break's doing. Each broken
page is also built twice, unchanged, and the second build must fail too. The builds run
two at a time (each is mostly a kernel start-up).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from site_tools import sphinx_build

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


def _build(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "docs"  # tmp_path / "docs" / f"{PAGE}.md" is the page
    shutil.copytree(
        DOCS,
        source,
        ignore=shutil.ignore_patterns("_build", "jupyter_execute", ".ipynb_checkpoints"),
    )
    for page in [*source.rglob("*.md"), *source.rglob("*.ipynb")]:
        page.unlink()
    (source / "index.md").write_text(INDEX)
    (source / f"{PAGE}.md").write_text(_page(body))
    return _sphinx(source)


def _sphinx(source: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        sphinx_build.command(source, source / "_build" / "html", doctrees=None),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _build_twice(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    """The second of two builds of the same broken page, nothing changed in between."""
    _build(tmp_path, body)
    return _sphinx(tmp_path / "docs")


@pytest.fixture(scope="module")
def builds() -> dict[str, subprocess.CompletedProcess[str]]:
    variants = {"unbroken": "", **{kind: body for kind, (body, _, _) in BREAKS.items()}}
    with tempfile.TemporaryDirectory() as scratch, ThreadPoolExecutor(2) as pool:
        futures = {
            kind: pool.submit(_build, Path(scratch) / kind, body) for kind, body in variants.items()
        }
        futures |= {
            (kind, "again"): pool.submit(_build_twice, Path(scratch) / f"{kind}-again", body)
            for kind, (body, _, _) in BREAKS.items()
        }
        return {kind: future.result() for kind, future in futures.items()}


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
