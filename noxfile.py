"""Sessions: ``tests``, ``docs``, ``lint``; ``serve``, ``crosscheck``, ``determinism``,
``offline`` and ``bench``. ``nox -l`` lists them.
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
# The build rules (Sphinx options, doctrees folder) are defined once, in the build machinery.
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
from lstm_site.build_rules import DOCTREES, SPHINX_OPTIONS

PYPROJECT = nox.project.load_toml("pyproject.toml")
DOCS_BUILD = ROOT / "docs" / "_build"
# The build's own tools (lstm_site.site_outputs) run as modules of docs/_ext.
EXT_ENV = {"PYTHONPATH": str(ROOT / "docs" / "_ext")}


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


def build_site(session: nox.Session, *extra: str) -> None:
    """Build docs/ into docs/_build/html (cached: only changed pages re-execute)."""
    session.run(
        "sphinx-build",
        *SPHINX_OPTIONS,
        "-d",
        str(ROOT / DOCTREES),
        "docs",
        str(DOCS_BUILD / "html"),
        *extra,
    )


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
    build_site(session)
    session.run("pytest", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html, executing every page (cached)."""
    install(session, "docs")
    if "--clean" in session.posargs:
        shutil.rmtree(DOCS_BUILD, ignore_errors=True)
    build_site(session, *[arg for arg in session.posargs if arg != "--clean"])
    session.log(f"Site built: {DOCS_BUILD / 'html' / 'index.html'}")


@nox.session
def serve(session: nox.Session) -> None:
    """Rebuild the site on every change (pages, package, examples) and reload the browser.

    One warm parent of the page kernels serves every rebuild (lstm_site.execution.warm_kernels).
    """
    install(session, "docs", "serve")
    session.run(
        "sphinx-autobuild",
        "-d",
        str(ROOT / DOCTREES),
        "docs",
        str(DOCS_BUILD / "html"),
        "--watch",
        "src",
        "--watch",
        "examples",
        "--ignore",
        str(DOCS_BUILD),
        "--port",
        "8000",
        *session.posargs,
        env={"LSTM_SITE_WARM_KERNELS": "shared"},
    )


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


def _build_into(session: nox.Session, out: Path, *prefix: str) -> None:
    """A clean build of docs/ into out/ (html, doctrees, execution cache all inside it)."""
    session.run(
        *prefix,
        str(Path(session.bin) / "sphinx-build"),
        *SPHINX_OPTIONS,
        "-d",
        str(out / "doctrees"),
        "-D",
        f"nb_execution_cache_path={out / 'jupyter_cache'}",
        "docs",
        str(out / "html"),
        external=bool(prefix),
    )


@nox.session
def determinism(session: nox.Session) -> None:
    """Two clean builds, each executing every page, must show identical outputs (slow)."""
    install(session, "docs")
    with tempfile.TemporaryDirectory(prefix="lstm-outputs-determinism-") as scratch:
        first, second = Path(scratch) / "first", Path(scratch) / "second"
        _build_into(session, first)
        _build_into(session, second)
        session.run(
            "python",
            "-m",
            "lstm_site.site_outputs",
            "compare",
            first / "html",
            second / "html",
            env=EXT_ENV,
        )


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
        _build_into(session, out, *cut)
        session.run(
            "python", "-m", "lstm_site.site_outputs", "rendered", "docs", out / "html", env=EXT_ENV
        )
        if "--compare" in session.posargs:
            other = session.posargs[session.posargs.index("--compare") + 1]
            session.run(
                "python",
                "-m",
                "lstm_site.site_outputs",
                "compare",
                other,
                out / "html",
                env=EXT_ENV,
            )


@nox.session
def bench(session: nox.Session) -> None:
    """Build times, cache behaviour and CLI speed: prints a table, writes docs/_build/bench.json."""
    install(session, "docs")
    session.run(
        "python",
        "tools/bench.py",
        "--docs",
        "docs",
        "--json",
        str(DOCS_BUILD / "bench.json"),
        *session.posargs,
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


@nox.session(default=False)
def canary(session: nox.Session) -> None:
    """A clean build and the whole test run against the newest TensorFlow, tf-keras and Keras.

    Runs on a copy of the working tree in the session's own folder (.nox/canary/run), so the
    normal environment, build and execution cache are never touched. With
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
    if os.environ.get("LSTM_OUTPUTS_CHROMIUM") == "playwright":
        session.run("playwright", "install", "--with-deps", "chromium")
    else:
        ensure_chromium(session)
    run = Path(session.virtualenv.location) / "run"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(
        ROOT,
        run,
        ignore=shutil.ignore_patterns(
            ".git",
            ".nox",
            ".venv",
            "_build",
            "jupyter_execute",
            "__pycache__",
            ".*_cache",
            ".hypothesis",
        ),
    )
    session.chdir(run)
    extra = os.environ.get("CANARY_SPHINX_ARGS", "").split()
    session.run("sphinx-build", *SPHINX_OPTIONS, "-d", DOCTREES, *extra, "docs", "docs/_build/html")
    # CI=1: a missing site or browser fails the browser tests instead of skipping them.
    session.run("pytest", *session.posargs, env={"CI": "1"})
