"""``nox -s versions``: run the claims (claims.py) on every Keras 3 minor release and on
tf.keras, each in an environment resolved as of that release, and write the record.
``--installed --write COPY`` (``nox -s canary``) instead runs them on the Keras and tf.keras
installed beside this interpreter and writes a copy of the record with their columns.

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
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = Path(__file__).with_name("claims.py")
RECORD = ROOT / "docs" / "_data" / "keras_versions.json"
#: Names a record to read instead of the committed one: the page, its build check, the stale
#: outputs' stamps and tests/package/test_version_record.py all read :func:`record_path`.
RECORD_VARIABLE = "LSTM_OUTPUTS_KERAS_VERSIONS"
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


def record_path(environ=os.environ, default: Path = RECORD) -> Path:
    """The record to read: the one :data:`RECORD_VARIABLE` names, else the committed one
    (``default``).

    >>> record_path({}) == RECORD
    True
    >>> record_path({RECORD_VARIABLE: "/tmp/copy.json"})
    PosixPath('/tmp/copy.json')
    """
    named = environ.get(RECORD_VARIABLE)
    return Path(named) if named else default


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def minor(version: str) -> str:
    return version.rsplit(".", 1)[0]


def last_patch_of_each_minor(versions: list[str]) -> list[str]:
    """3.0.0 (the first Keras 3) and the last patch of every minor release, in order."""
    finals = sorted((v for v in versions if re.fullmatch(r"3\.\d+\.\d+", v)), key=version_key)
    last = {minor(v): v for v in finals}
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


def keras_column(version: str, released: str) -> Column:
    """A Keras 3 release's column, with what its environment installs."""
    requirements = [f"keras=={version}", "jax[cpu]", "packaging"]
    return Column(f"Keras {version}", "keras", version, released, requirements)


def tf_keras_column(version: str, released: str) -> Column:
    """A tf.keras release's column: tf-keras with the TensorFlow of its minor release."""
    requirements = [f"tf-keras=={version}", f"tensorflow=={minor(version)}.*"]
    return Column(f"tf.keras {version}", "tf-keras", version, released, requirements, "tf_keras")


#: How each package's column is made.
MAKERS = {"keras": keras_column, "tf-keras": tf_keras_column}


def columns(pinned_tf_keras: str) -> list[Column]:
    """The Keras 3 releases and the two tf.keras releases, each with its requirements."""
    keras = uploads("keras")
    found = [keras_column(v, keras[v]) for v in last_patch_of_each_minor(list(keras))]
    tf_keras = uploads("tf-keras")
    found += [tf_keras_column(v, tf_keras[v]) for v in (OLDER_TF_KERAS, pinned_tf_keras)]
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


def python_of(column: Column, envs: Path) -> Path:
    """The interpreter of the column's environment."""
    return envs / column.slug / "bin" / "python"


def run_claims(column: Column, python: Path, *options: str) -> dict | str:
    """The claims' JSON from the interpreter ``python``, or why the interpreter stopped."""
    command = [str(python), str(CLAIMS), "--keras", column.module, *options]
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
    """Build the column's environment and run its claims there (those named)."""
    if not build(column, envs):
        return column
    return run_all(column, python_of(column, envs), names, envs / column.slug / ".backend")


def run_all(column: Column, python: Path, names: list[str], chosen: Path | None = None) -> Column:
    """Run the claims named with ``python`` into the column; when the interpreter stops,
    each claim is run in its own, so the one that crashes it is found. The backend that
    imports is kept in the file ``chosen``, when one is given, for the next run."""
    if chosen and chosen.exists():
        column.backend = chosen.read_text()
    found = run_claims(column, python)
    if isinstance(found, str):
        imported = run_claims(column, python, "--none")
        if isinstance(imported, str) and column.module == "keras" and column.backend == "numpy":
            # Keras 3.0.5's NumPy backend imports its torch backend: JAX's is the next lightest.
            column.backend = "jax"
            imported = run_claims(column, python, "--none")
        if isinstance(imported, str):
            column.status = f"does not import: {imported.split(': ', 1)[-1]}"
            return column
        if chosen:
            chosen.write_text(column.backend)
        found = run_claims(column, python)
    if isinstance(found, str):
        column.status = found
        found = {"environment": {}, "results": {}}
        for name in names:
            one = run_claims(column, python, "--only", name)
            if isinstance(one, str):
                found["results"][name] = {"crashed": one}
            else:
                found["environment"] = one["environment"]
                found["results"].update(one["results"])
    column.environment, column.results = found["environment"], found["results"]
    return column


def claim_topics(python: Path, name: str) -> dict:
    """Each claim's topic and title, as claims.py lists them (run by ``python``, whose
    environment is named ``name``)."""
    code = "import json, claims; print(json.dumps(claims.topics()))"
    env = {**os.environ, **QUIET, "PYTHONPATH": str(CLAIMS.parent)}
    done = subprocess.run(
        [str(python), "-c", code], check=False, capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"claims.py does not load in {name}: {one_line(done.stderr)}")
    return json.loads(done.stdout)


def latest_of_each_minor(package: str, versions: list[str]) -> list[str]:
    """The releases a record keeps: for Keras, :func:`last_patch_of_each_minor`; for
    tf.keras, the last patch of each minor release.

    >>> latest_of_each_minor("tf-keras", ["2.21.0", "2.15.1", "2.21.2"])
    ['2.15.1', '2.21.2']
    """
    if package == "keras":
        return last_patch_of_each_minor(versions)
    last = {minor(v): v for v in sorted(versions, key=version_key)}
    return sorted(last.values(), key=version_key)


def with_column(record: dict, column: dict) -> tuple[dict, list[dict]]:
    """A copy of ``record`` with ``column`` among its package's columns, in version order,
    and the columns it replaced: the same release's, or an earlier patch of its minor
    release (as :func:`latest_of_each_minor` keeps them). ``record`` is left as it was.

    >>> def made(package, version):
    ...     return {"package": package, "version": version}
    >>> versions = ("3.0.0", "3.14.1", "3.15.1")
    >>> record = {"columns": [*(made("keras", v) for v in versions), made("tf-keras", "2.21.0")]}
    >>> new, replaced = with_column(record, made("keras", "3.16.0"))
    >>> [c["version"] for c in new["columns"]], replaced
    (['3.0.0', '3.14.1', '3.15.1', '3.16.0', '2.21.0'], [])
    >>> new, replaced = with_column(record, made("keras", "3.15.2"))
    >>> [c["version"] for c in new["columns"]], [c["version"] for c in replaced]
    (['3.0.0', '3.14.1', '3.15.2', '2.21.0'], ['3.15.1'])
    >>> len(record["columns"])
    4
    >>> with_column(record, made("keras", "3.15.0"))
    Traceback (most recent call last):
    ...
    ValueError: the record has a later patch of keras 3.15.0: 3.15.1
    >>> with_column(record, made("keras", "4.0.0"))
    Traceback (most recent call last):
    ...
    ValueError: keras 4.0.0 is not a Keras 3 release, the only ones the record holds
    """
    package, version = column["package"], column["version"]
    ours = [c["version"] for c in record["columns"] if c["package"] == package]
    kept = latest_of_each_minor(package, [v for v in ours if v != version] + [version])
    if version not in kept:
        later = [v for v in ours if minor(v) == minor(version)]
        if not later:
            raise ValueError(
                f"{package} {version} is not a Keras 3 release, the only ones the record holds"
            )
        raise ValueError(f"the record has a later patch of {package} {version}: {later[-1]}")
    replaced = [
        c
        for c in record["columns"]
        if c["package"] == package and (c["version"] == version or c["version"] not in kept)
    ]
    found = [c for c in record["columns"] if c not in replaced] + [column]
    # Keras 3 first, then tf.keras, each oldest first (the page's rows follow this order).
    found.sort(key=lambda c: (c["package"] != "keras", version_key(c["version"])))
    return {**record, "columns": found}, replaced


def result_text(result: dict | None) -> str:
    """A claim's result in one line, for the log.

    >>> result_text({"returns": [[2, 4], [2, 4]]}), result_text({"raises": "TypeError: x"})
    ('returns [[2, 4], [2, 4]]', 'raises TypeError: x')
    """
    if result is None:
        return "not run"
    if "returns" in result:
        return "returns " + json.dumps(result["returns"], ensure_ascii=False)
    if "raises" in result:
        return f"raises {result['raises']}"
    return f"crashed: {result['crashed']}"


def differences(before: dict, after: dict, claims: dict) -> list[str]:
    """One line per claim (and for the status) where column ``after`` differs from ``before``.

    >>> claims = {"lstm_default": {"topic": "LSTM returns", "title": "default"}}
    >>> def made(name, result):
    ...     return {"name": name, "status": "ok", "results": {"lstm_default": result}}
    >>> old = made("Keras 3.15.1", {"returns": [2, 4]})
    >>> new = made("Keras 3.16.0", {"raises": "TypeError: no"})
    >>> print(*differences(old, new, claims))
    LSTM returns, default: Keras 3.15.1 returns [2, 4]; Keras 3.16.0 raises TypeError: no
    >>> differences(old, old, claims)
    []
    """
    found = []
    if before["status"] != after["status"]:
        found.append(
            f"status: {before['name']} {before['status']}; {after['name']} {after['status']}"
        )
    for name, about in claims.items():
        old, new = (result_text(c["results"].get(name)) for c in (before, after))
        if old != new:
            where = f"{about['topic']}, {about['title']}"
            found.append(f"{where}: {before['name']} {old}; {after['name']} {new}")
    return found


def installed_version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def release_day(package: str, version: str) -> str:
    """When PyPI first received the release; empty when PyPI cannot be asked."""
    try:
        return uploads(package).get(version, "")
    except OSError:
        return ""


def installed_columns(record: dict) -> tuple[dict, list[str]]:
    """The record with the columns of the Keras and tf.keras installed beside this
    interpreter, their claims run by it; and the log's lines: what each new column changed
    from the column before it, and from the column it replaced."""
    python = Path(sys.executable)
    if claim_topics(python, "this environment") != record["claims"]:
        raise SystemExit("claims.py and the record's claims differ: run nox -s versions first")
    lines = []
    for package, make in MAKERS.items():
        version = installed_version(package)
        if version is None:
            continue
        if not re.fullmatch(r"\d+\.\d+\.\d+", version):
            raise SystemExit(f"{package} {version} is not a final release: no column for it")
        names = list(record["claims"])
        added = run_all(make(version, release_day(package, version)), python, names).record()
        try:
            record, replaced = with_column(record, added)
        except ValueError as error:
            raise SystemExit(str(error)) from None
        ours = [c for c in record["columns"] if c["package"] == package]
        before = ours[ours.index(added) - 1] if ours.index(added) > 0 else None
        # A replaced column may be the same release's: named as the record's, to tell apart.
        compared = [{**c, "name": f"the record's {c['name']}"} for c in replaced]
        for other in [before, *compared] if before else compared:
            changed = differences(other, added, record["claims"])
            lines += [f"{added['name']}: {line}" for line in changed]
            if not changed:
                lines.append(f"{added['name']} gives what {other['name']} gave on every claim")
        lines.append(f"{added['name']}: {len(names)} claims run, status {added['status']}")
    return record, lines


def write_record(record: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")


def installed(args: argparse.Namespace) -> None:
    """``--installed``: a copy of the record with the installed releases' columns."""
    if args.write is None:
        raise SystemExit("--installed needs --write COPY: where to write the record's copy")
    if args.write.resolve() == RECORD.resolve():
        raise SystemExit(f"--write {args.write}: the committed record is nox -s versions's")
    source = args.record or record_path()
    record, lines = installed_columns(json.loads(source.read_text(encoding="utf-8")))
    write_record(record, args.write)
    for line in lines:
        print(f"versions: {line}")
    print(f"versions: wrote {args.write}, {source} with the installed releases' columns")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--envs", type=Path, help="where environments are kept")
    parser.add_argument(
        "--record", type=Path, help="the record to write (with --installed: to read)"
    )
    parser.add_argument("--tf-keras", help="the tf-keras release the site pins")
    parser.add_argument(
        "--installed", action="store_true", help="add the columns of the releases installed here"
    )
    parser.add_argument("--write", type=Path, help="with --installed: where to write the copy")
    args = parser.parse_args(argv)
    if args.installed:
        return installed(args)
    if args.envs is None or args.tf_keras is None:
        parser.error("--envs and --tf-keras are needed (or --installed)")
    args.record = args.record or RECORD
    start = time.perf_counter()
    found = columns(args.tf_keras)
    args.envs.mkdir(parents=True, exist_ok=True)
    cached = sum((args.envs / c.slug / ".requirements").exists() for c in found)
    newest = [c for c in found if c.package == "keras"][-1]
    if not build(newest, args.envs):
        raise SystemExit(f"the newest Keras does not install: {newest.status}")
    topics = claim_topics(python_of(newest, args.envs), newest.name)
    with ThreadPoolExecutor(AT_ONCE) as pool:
        done = list(pool.map(lambda c: measure(c, args.envs, list(topics)), found))
    record = {
        "made": datetime.date.today().isoformat(),
        "command": "nox -s versions",
        "claims": topics,
        "columns": [c.record() for c in done],
    }
    write_record(record, args.record)
    seconds = time.perf_counter() - start
    for column in done:
        print(f"{column.name:<18} {column.released[:10]}  {column.status}")
    kind = "warm" if cached == len(found) else f"cold ({len(found) - cached} built)"
    print(f"versions: {len(found)} columns, {kind} run, {seconds:.0f} s; wrote {args.record}")


if __name__ == "__main__":
    main()
