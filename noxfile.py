"""Sessions: ``tests``, ``docs``, ``lint`` and ``crosscheck``. ``nox -l`` lists them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
# Environments are kept between runs: a second `nox -s docs` must not reinstall TensorFlow.
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests", "docs"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
DOCS_BUILD = ROOT / "docs" / "_build"


def install(session: nox.Session, *groups: str) -> None:
    """Install the package (editable) and the named dependency groups."""
    requirements = [r for g in groups for r in nox.project.dependency_groups(PYPROJECT, g)]
    session.install("-e", ".", *requirements)


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, property and doctest tests: ``nox -s tests -- -k cli`` to pick some."""
    install(session, "test")
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
