"""Sessions: ``tests``, ``docs``, ``lint``; ``serve``, ``crosscheck``, ``determinism``,
``offline``, ``bench``, ``versions`` and ``canary``. ``nox -l`` lists them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
# Environments are kept between runs: a second `nox -s docs` must not reinstall TensorFlow.
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "docs", "tests"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
# The site's one sphinx-build command line (tools/site_tools/sphinx_build.py), run in the
# session's environment, where the editable install puts tools/ and docs/_ext on the path.
SPHINX_BUILD = ("python", "-m", "site_tools.sphinx_build")
# The Keras versions record's tool, stdlib only so nox's own Python runs it.
MATRIX = ROOT / "tools" / "version_claims" / "matrix.py"


def install(session: nox.Session, *groups: str) -> None:
    """Install the package (editable) and the named dependency groups, compiled to bytecode.

    uv installs no .pyc files unless asked, and where PYTHONDONTWRITEBYTECODE is set (as on
    the project's machines) Python compiles every module from source on every start:
    ``import tensorflow`` took 7.2 s instead of 2.9 s in every page's kernel. So uv compiles
    what it installs (``UV_COMPILE_BYTECODE``; pip, the fallback, compiles by default).

    Skipped when the environment was installed from this same pyproject.toml: the install
    is editable, so source changes need no reinstall, and rebuilding the editable wheel cost
    3.5 s of every run.
    """
    requirements = [r for g in groups for r in nox.project.dependency_groups(PYPROJECT, g)]
    stamp = Path(session.virtualenv.location) / ".installed-from"
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + " ".join(groups).encode() + b"uv-compile"
    ).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        session.log("Environment is up to date with pyproject.toml; not reinstalling.")
        return
    session.install("-e", ".", *requirements, env={"UV_COMPILE_BYTECODE": "1"})
    stamp.write_text(wanted)


def compare_outputs(session: nox.Session, site_a: Path | str, site_b: Path | str) -> None:
    """Two builds' executed outputs must be equal (determinism, offline --compare)."""
    session.run("python", "-m", "site_tools.site_outputs", "compare", str(site_a), str(site_b))


def ensure_chromium(session: nox.Session) -> None:
    """The browser tests drive Debian's Chromium: install it where it is missing and we may."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        session.run("apt-get", "update", "-qq", external=True)
        session.run(
            "apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", external=True
        )
    else:
        session.warn("chromium not found: the browser tests of the built site will fail")


@nox.session
def tests(session: nox.Session) -> None:
    """Package, build and site tests (tests/package, tests/build, tests/site): ``-- -k cli``
    picks some.

    The site tests open every page of docs/_build/html, so the site is built first (cached:
    nothing re-executes when it is up to date).
    """
    install(session, "test", "docs")
    ensure_chromium(session)
    session.run(*SPHINX_BUILD)
    session.run("pytest", *parallel(session.posargs), *session.posargs)


#: pytest-xdist workers: two (one per core), or LSTM_OUTPUTS_TEST_WORKERS. The tests that start
#: Jupyter kernels share one group (tests/conftest.py): kernels started on two workers at once
#: raced for the same ports ("ZMQError: Address already in use").
WORKERS = int(os.environ.get("LSTM_OUTPUTS_TEST_WORKERS", "2"))


def parallel(posargs: list[str]) -> list[str]:
    """pytest-xdist's options, unless the arguments choose their own (``-n``, ``-p no:xdist``).

    ``--dist loadgroup`` with the groups tests/conftest.py gives: a test file runs on one
    worker, so a module's fixture (a browser page, a scratch build, a program server) is
    made once; the two workers share only what they read (the built site; each has its own
    browser, loopback port and temporary folder).
    """
    chosen = any(a == "-n" or a.startswith(("-n", "--numprocesses", "--dist")) for a in posargs)
    if chosen or "no:xdist" in posargs or WORKERS < 2:
        return []
    return ["-n", str(WORKERS), "--dist", "loadgroup"]


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html, executing every page (cached)."""
    install(session, "docs")
    session.run(*SPHINX_BUILD, *session.posargs)
    # With --into DIR the site is elsewhere: Sphinx's last line names that folder.
    if not any(arg.startswith("--into") for arg in session.posargs):
        session.log(f"Site built: {ROOT / 'docs' / '_build' / 'html' / 'index.html'}")


@nox.session
def serve(session: nox.Session) -> None:
    """Rebuild the site on every change (pages, package, examples) and reload the browser.

    The same options as every build (-W -n: a warning fails the rebuild, the last good site
    stays served); one warm parent of the page kernels serves every rebuild.
    """
    install(session, "docs", "serve")
    session.run(*SPHINX_BUILD, "--serve", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check; the publishing configs audited (zizmor) and schema-checked."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    # Offline: no request to GitHub (zizmor) or to a schema store (the vendored schemas).
    session.run("zizmor", "--offline", ".github")
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)
    session.run("check-jsonschema", "--builtin-schema", "vendor.readthedocs", ".readthedocs.yaml")


# PyTorch's CPU build: a bare `torch` from PyPI would pull gigabytes of CUDA libraries, so the
# session installs the CPU wheel from a local folder (TORCH_WHEELS, default /opt/wheels).
TORCH = "torch==2.13.0"
CHECK_NO_CUDA = """
import importlib.metadata as md, torch
cuda = sorted(d.metadata["Name"] for d in md.distributions() if d.metadata["Name"].startswith("nvidia"))
assert not cuda, f"CUDA packages installed: {cuda}"
assert torch.__version__ == "2.13.0+cpu", torch.__version__
print("torch", torch.__version__, "- CPU build, no CUDA packages")
"""


@nox.session
def crosscheck(session: nox.Session) -> None:
    """Prove the PyTorch weight conversion against real torch.nn.LSTM (not run by default).

    Needs PyTorch's CPU wheel (torch-2.13.0+cpu) in the folder TORCH_WHEELS names
    (default /opt/wheels); the session checks that no CUDA package was installed.
    """
    wheels = Path(os.environ.get("TORCH_WHEELS", "/opt/wheels"))
    if not list(wheels.glob("torch-2.13.0+cpu-*.whl")):
        session.error(f"no torch-2.13.0+cpu wheel in {wheels}: set TORCH_WHEELS to its folder")
    install(session, "test")
    session.install(TORCH, "--find-links", str(wheels))
    session.run("python", "-c", CHECK_NO_CUDA)
    session.run("pytest", "--crosscheck", "tests/crosscheck", *session.posargs)


@nox.session
def determinism(session: nox.Session) -> None:
    """Two clean builds, each executing every page, must show identical outputs (slow)."""
    install(session, "docs")
    with tempfile.TemporaryDirectory(prefix="lstm-outputs-determinism-") as scratch:
        first, second = Path(scratch) / "first", Path(scratch) / "second"
        session.run(*SPHINX_BUILD, "--into", str(first))
        session.run(*SPHINX_BUILD, "--into", str(second))
        compare_outputs(session, first / "html", second / "html")


@nox.session
def offline(session: nox.Session) -> None:
    """A clean build with the network cut (``unshare -n``) still renders every page.

    ``-- --compare DIR`` also checks that its outputs equal those of the site in DIR.
    """
    install(session, "docs")
    if not shutil.which("unshare"):
        session.error("offline needs unshare (util-linux) to cut the network")
    # A new network namespace has only a loopback device, down: bring it up for the kernel.
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    cut = ["unshare", "--net", *([] if root else ["--map-root-user"])]
    cut += ["sh", "-c", 'ip link set lo up && exec "$@"', "offline"]
    probe = "import socket; socket.create_connection(('pypi.org', 443), timeout=5)"
    session.run(*cut, "python", "-c", probe, success_codes=[1], external=True, silent=True)
    session.log("Network is cut inside the namespace: pypi.org cannot be reached.")
    with tempfile.TemporaryDirectory(prefix="lstm-outputs-offline-") as scratch:
        out = Path(scratch)
        python = str(Path(session.bin) / "python")
        session.run(*cut, python, *SPHINX_BUILD[1:], "--into", str(out), external=True)
        session.run("python", "-m", "site_tools.site_outputs", "rendered", "docs", out / "html")
        if "--compare" in session.posargs:
            compare_outputs(
                session, session.posargs[session.posargs.index("--compare") + 1], out / "html"
            )


@nox.session
def bench(session: nox.Session) -> None:
    """Build times, cache behaviour, page and CLI speed against their targets (fails when one
    is missed): prints a table, writes docs/_build/bench.json."""
    install(session, "docs")
    session.run("python", "-m", "site_tools.bench", *session.posargs)


@nox.session(venv_backend="none", default=False)
def versions(session: nox.Session) -> None:
    """The claims (tools/version_claims/claims.py) on every Keras 3 minor release and on
    tf.keras, each in its own environment resolved as of its release (kept in
    .nox/versions-envs); writes docs/_data/keras_versions.json and prints the run's time."""
    pin = next(r for r in nox.project.dependency_groups(PYPROJECT, "docs") if "tf-keras" in r)
    tf_keras = pin.split("=")[-1]
    envs = ROOT / ".nox" / "versions-envs"
    session.run(
        sys.executable,
        str(MATRIX),
        "--envs",
        str(envs),
        "--tf-keras",
        tf_keras,
        *session.posargs,
        external=True,
    )


# nox -s canary: what the project's pins hide. TensorFlow and Keras are resolved at run time
# (the newest releases on PyPI), tf-keras to the release matching that TensorFlow's minor.
NEWEST = ("tensorflow", "keras")
CANARY_VERSIONS = """
import importlib.metadata as md, sys
for name in ("tensorflow", "keras", "tf-keras", "jax"):
    print(f"canary: {name} {md.version(name)}")
print(f"canary: python {sys.version.split()[0]}")
"""


#: Prints the name of the variable that names the record the page and the tests read.
READ_RECORD_VARIABLE = "from version_claims.matrix import RECORD_VARIABLE; print(RECORD_VARIABLE)"


@nox.session(default=False)
def canary(session: nox.Session) -> None:
    """A clean build and the whole test run against the newest TensorFlow, tf-keras and Keras.

    The site is built into the session's own folder (.nox/canary/site), so the normal
    environment, build and execution cache are never touched. First the Keras versions
    page's claims run on the installed Keras and tf-keras: their columns go into a copy of the
    record (.nox/canary/keras_versions.json, which LSTM_OUTPUTS_KERAS_VERSIONS names to the
    build and the tests), and the log says which claims the newest release changed. With
    LSTM_OUTPUTS_CHROMIUM=playwright (the weekly workflow) the browser tests use Playwright's
    own Chromium, installed here. CANARY_SPHINX_ARGS adds sphinx-build options (on a loaded
    machine, ``-D nb_execution_timeout=900``); ``-- ARGS`` go to pytest.
    """
    groups = [r for g in ("docs", "test") for r in nox.project.dependency_groups(PYPROJECT, g)]
    pinned = [r for r in groups if not r.startswith("tf-keras")]
    upgrade = [arg for name in NEWEST for arg in ("--upgrade-package", name)]
    compiled = {"UV_COMPILE_BYTECODE": "1"}
    session.install("-e", ".", *pinned, *NEWEST, *upgrade, env=compiled)
    tensorflow = session.run(
        "python",
        "-c",
        "import importlib.metadata as md; print(md.version('tensorflow'))",
        silent=True,
    ).strip()
    minor = ".".join(tensorflow.split(".")[:2])
    session.install(f"tf-keras~={minor}.0", "--upgrade-package", "tf-keras", env=compiled)
    session.run("python", "-c", CANARY_VERSIONS)
    # The newest releases' columns, in a copy of the record that the build and tests read.
    record = Path(session.virtualenv.location) / "keras_versions.json"
    session.run("python", "-m", "version_claims.matrix", "--installed", "--write", str(record))
    variable = session.run("python", "-c", READ_RECORD_VARIABLE, silent=True).strip()
    uses_record = {variable: str(record)}
    if os.environ.get("LSTM_OUTPUTS_CHROMIUM") == "playwright":
        session.run("playwright", "install", "--with-deps", "chromium")
    else:
        ensure_chromium(session)
    # A build of its own (HTML, doctrees, execution cache), so the normal ones stay untouched.
    site = Path(session.virtualenv.location) / "site"
    shutil.rmtree(site, ignore_errors=True)
    extra = os.environ.get("CANARY_SPHINX_ARGS", "").split()
    session.run(*SPHINX_BUILD, "--into", str(site), *extra, env=uses_record)
    # CI=1: a missing site or browser fails the browser tests instead of skipping them.
    tested = {"CI": "1", **uses_record}
    session.run("pytest", "--site", str(site / "html"), *session.posargs, env=tested)
