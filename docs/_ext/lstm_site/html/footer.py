"""The footer names the versions the pages were executed with, read from the installed
distributions' metadata (TensorFlow is not imported)."""

from __future__ import annotations

import sys
from importlib import metadata

DISTRIBUTIONS = {"TensorFlow": "tensorflow", "Keras": "keras"}


def version(distribution: str) -> str:
    """An installed distribution's version.

    >>> version("no-such-distribution-here")
    'not installed'
    """
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def built_with() -> str:
    """The footer's line: the packages' versions and Python's."""
    packages = " and ".join(f"{name}&nbsp;{version(d)}" for name, d in DISTRIBUTIONS.items())
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"<p>Pages executed with {packages}, Python&nbsp;{python}.</p>"


def add_footer(app, config) -> None:
    config.html_theme_options.setdefault("extra_footer", built_with())
