"""Sessions: ``tests``, ``docs``, ``lint``, ``serve`` and ``crosscheck``. ``nox -l`` lists them."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
# Environments are kept between runs: a second `nox -s docs` must not reinstall TensorFlow.
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "docs", "tests"]  # the site tests read the built site

# With PYTHONDONTWRITEBYTECODE set (as on our CI machines), every sphinx-build and every
# page's kernel recompiles Sphinx, MyST-NB and TensorFlow from source: a no-change rebuild
# took 6.5 s instead of 1.3 s. Let the sessions write bytecode once and reuse it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
DOCS_BUILD = ROOT / "docs" / "_build"


def install(session: nox.Session, *groups: str) -> None:
    """Install the package (editable) and the named dependency groups.

    Skipped when the environment was installed from this same pyproject.toml: the
    install is editable, so source changes need no reinstall, and rebuilding the
    editable wheel cost 3.5 s of every run.
    """
    requirements = [r for g in groups for r in nox.project.dependency_groups(PYPROJECT, g)]
    stamp = Path(session.virtualenv.location) / ".installed-from"
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + " ".join(groups).encode()
    ).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        session.log("Environment is up to date with pyproject.toml; not reinstalling.")
        return
    session.install("-e", ".", *requirements)
    stamp.write_text(wanted)


def ensure_chromium(session: nox.Session) -> None:
    """The site tests drive Debian's Chromium; install it where it is missing and we may."""
    if shutil.which("chromium"):
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        session.run("apt-get", "update", "-qq", external=True)
        session.run(
            "apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", external=True
        )
    else:
        session.warn("chromium not found: the browser tests of the built site will be skipped")


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, property, doctest, example and site tests: ``nox -s tests -- -k cli`` picks some.

    The site tests check docs/_build/html: run ``nox -s docs`` first (they skip otherwise).
    """
    install(session, "test")
    ensure_chromium(session)
    session.run("pytest", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html, executing every page (cached)."""
    install(session, "docs")
    if "--clean" in session.posargs:
        shutil.rmtree(DOCS_BUILD, ignore_errors=True)
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "docs",
        str(DOCS_BUILD / "html"),
        *[arg for arg in session.posargs if arg != "--clean"],
    )
    session.log(f"Site built: {DOCS_BUILD / 'html' / 'index.html'}")


@nox.session
def serve(session: nox.Session) -> None:
    """Rebuild the site on every change (pages, package, examples) and reload the browser."""
    install(session, "docs", "serve")
    session.run(
        "sphinx-autobuild",
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
    )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


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
