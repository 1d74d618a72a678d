"""``nox -s versions``: run the claims (claims.py) on every Keras 3 minor release and on
tf.keras, each in an environment resolved as of that release, and write the record.

Stdlib only: it runs in nox's own Python. Environments are made with uv under ``--envs``
(kept between runs; one is rebuilt only when its requirements change), two at a time. A
release that does not install, or claims that crash the interpreter, are recorded with the
reason instead of failing the run.

>>> last_patch_of_each_minor(["3.0.0", "3.0.5", "3.1.0", "3.1.1", "3.10.0", "3.0.2"])
['3.0.0', '3.0.5', '3.1.1', '3.10.0']
>>> day_after("2023-11-28T13:52:47.054065Z")
'2023-11-29'
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = Path(__file__).with_name("claims.py")
RECORD = ROOT / "docs" / "_data" / "keras_versions.json"
PYTHON = "3.11"
#: The older tf.keras shown beside the pinned one: TensorFlow 2.15, the last release whose
#: own ``tf.keras`` was Keras 2 (Colab's default until TensorFlow 2.16).
OLDER_TF_KERAS = "2.15.1"
#: The machine is shared: at most this many environments are built or run at once.
AT_ONCE = 2
#: Quiet TensorFlow and JAX. The NumPy backend runs the claims (Column.backend): none needs a
#: compiler or a GPU, and it runs them several times faster than JAX on a busy CPU. Keras 3
#: still gets JAX, as of its release: the NumPy backend of Keras 3.0 imports it; and
#: packaging, which Keras 3.0 imports without requiring it.
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "JAX_PLATFORMS": "cpu"}


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def last_patch_of_each_minor(versions: list[str]) -> list[str]:
    """3.0.0 (the first Keras 3) and the last patch of every minor release, in order."""
    finals = sorted((v for v in versions if re.fullmatch(r"3\.\d+\.\d+", v)), key=version_key)
    last = {v.rsplit(".", 1)[0]: v for v in finals}
    return sorted({finals[0], *last.values()}, key=version_key)


def day_after(timestamp: str) -> str:
    """The day after an upload: the ``--exclude-newer`` bound that still includes it."""
    day = datetime.date.fromisoformat(timestamp[:10])
    return (day + datetime.timedelta(days=1)).isoformat()


def uploads(package: str) -> dict[str, str]:
    """Each release of a package on PyPI and its first upload time (the JSON API)."""
    with urllib.request.urlopen(f"https://pypi.org/pypi/{package}/json", timeout=60) as reply:
        releases = json.load(reply)["releases"]
    return {
        v: min(f["upload_time_iso_8601"] for f in files) for v, files in releases.items() if files
    }


@dataclass
class Column:
    """One column of the matrix: a release, how to install it, and what its claims gave."""

    name: str
    package: str
    version: str
    released: str
    requirements: list[str]
    module: str = "keras"
    backend: str = "numpy"
    status: str = "ok"
    environment: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return f"{self.package}-{self.version}"

    def record(self) -> dict:
        return {
            "name": self.name,
            "package": self.package,
            "version": self.version,
            "released": self.released[:10],
            "status": self.status,
            "environment": self.environment,
            "results": self.results,
        }


def columns(pinned_tf_keras: str) -> list[Column]:
    """The Keras 3 releases and the two tf.keras releases, each with its requirements."""
    keras = uploads("keras")
    found = [
        Column(f"Keras {v}", "keras", v, keras[v], [f"keras=={v}", "jax[cpu]", "packaging"])
        for v in last_patch_of_each_minor(list(keras))
    ]
    tf_keras = uploads("tf-keras")
    for version in (OLDER_TF_KERAS, pinned_tf_keras):
        minor = ".".join(version.split(".")[:2])
        requirements = [f"tf-keras=={version}", f"tensorflow=={minor}.*"]
        found.append(
            Column(
                f"tf.keras {version}",
                "tf-keras",
                version,
                tf_keras[version],
                requirements,
                "tf_keras",
            )
        )
    return found


def one_line(text: str) -> str:
    """The last meaningful line of a tool's error output."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else "no output")[:200]


def build(column: Column, envs: Path) -> bool:
    """Make (or reuse) the column's environment; False, with the reason, when it fails."""
    where = envs / column.slug
    exclude = day_after(column.released)
    spec = json.dumps([PYTHON, exclude, *column.requirements])
    stamp = where / ".requirements"
    if stamp.exists() and stamp.read_text() == spec:
        return True
    subprocess.run(["uv", "venv", "-q", "--python", PYTHON, str(where)], check=True)
    install = ["uv", "pip", "install", "-q", "--python", str(where / "bin" / "python")]
    install += ["--exclude-newer", exclude, *column.requirements]
    compiled = {**os.environ, "UV_COMPILE_BYTECODE": "1"}
    done = subprocess.run(install, env=compiled, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        column.status = f"does not install: {one_line(done.stderr)}"
        return False
    stamp.write_text(spec)
    return True


def run_claims(column: Column, envs: Path, *options: str) -> dict | str:
    """The claims' JSON from the column's environment, or why the interpreter stopped."""
    command = [str(envs / column.slug / "bin" / "python"), str(CLAIMS), "--keras", column.module]
    command += options
    env = {**os.environ, **QUIET, "KERAS_BACKEND": column.backend}
    # Bytecode is written once, on the first run, so later runs import quickly.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        command, check=False, capture_output=True, text=True, env=env, timeout=900
    )
    if done.returncode != 0:
        return f"the interpreter stopped (exit code {done.returncode}): {one_line(done.stderr)}"
    return json.loads(done.stdout)


def measure(column: Column, envs: Path, names: list[str]) -> Column:
    """Build the column's environment and run its claims (those named); when the interpreter
    stops, each claim is run in its own, so the one that crashes it is found."""
    if not build(column, envs):
        return column
    chosen = envs / column.slug / ".backend"
    if chosen.exists():
        column.backend = chosen.read_text()
    found = run_claims(column, envs)
    if isinstance(found, str):
        imported = run_claims(column, envs, "--none")
        if isinstance(imported, str) and column.module == "keras" and column.backend == "numpy":
            # Keras 3.0.5's NumPy backend imports its torch backend: JAX's is the next lightest.
            column.backend = "jax"
            imported = run_claims(column, envs, "--none")
        if isinstance(imported, str):
            column.status = f"does not import: {imported.split(': ', 1)[-1]}"
            return column
        chosen.write_text(column.backend)
        found = run_claims(column, envs)
    if isinstance(found, str):
        column.status = found
        found = {"environment": {}, "results": {}}
        for name in names:
            one = run_claims(column, envs, "--only", name)
            if isinstance(one, str):
                found["results"][name] = {"crashed": one}
            else:
                found["environment"] = one["environment"]
                found["results"].update(one["results"])
    column.environment, column.results = found["environment"], found["results"]
    return column


def claim_topics(envs: Path, column: Column) -> dict:
    """Each claim's topic and title, as claims.py lists them (run where it loads)."""
    code = "import json, claims; print(json.dumps(claims.topics()))"
    python = envs / column.slug / "bin" / "python"
    env = {**os.environ, **QUIET, "PYTHONPATH": str(CLAIMS.parent)}
    done = subprocess.run(
        [str(python), "-c", code], check=False, capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"claims.py does not load in {column.name}: {one_line(done.stderr)}")
    return json.loads(done.stdout)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--envs", type=Path, required=True, help="where environments are kept")
    parser.add_argument("--record", type=Path, default=RECORD)
    parser.add_argument("--tf-keras", required=True, help="the tf-keras release the site pins")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    found = columns(args.tf_keras)
    args.envs.mkdir(parents=True, exist_ok=True)
    cached = sum((args.envs / c.slug / ".requirements").exists() for c in found)
    newest = [c for c in found if c.package == "keras"][-1]
    if not build(newest, args.envs):
        raise SystemExit(f"the newest Keras does not install: {newest.status}")
    topics = claim_topics(args.envs, newest)
    with ThreadPoolExecutor(AT_ONCE) as pool:
        done = list(pool.map(lambda c: measure(c, args.envs, list(topics)), found))
    record = {
        "made": datetime.date.today().isoformat(),
        "command": "nox -s versions",
        "claims": topics,
        "columns": [c.record() for c in done],
    }
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - start
    for column in done:
        print(f"{column.name:<18} {column.released[:10]}  {column.status}")
    kind = "warm" if cached == len(found) else f"cold ({len(found) - cached} built)"
    print(f"versions: {len(found)} columns, {kind} run, {seconds:.0f} s; wrote {args.record}")


if __name__ == "__main__":
    main()
