"""Fixtures every group shares: hypothesis profiles and Keras imported once, quietly (the
package tests and tests/crosscheck use it). Each group (package, build, site) has its own
conftest for the rest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Building a Keras layer takes tens of milliseconds, and the first one far longer.
settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=25
)
settings.register_profile("thorough", parent=settings.get_profile("default"), max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def keras():
    from lstm_outputs import import_keras

    return import_keras()


def pytest_addoption(parser):
    parser.addoption(
        "--site",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "docs" / "_build" / "html",
        help="the built site the site tests check (default docs/_build/html)",
    )
    parser.addoption(
        "--crosscheck",
        action="store_true",
        help="collect tests/crosscheck, which need PyTorch (run them with `nox -s crosscheck`)",
    )


def pytest_ignore_collect(collection_path, config):
    # tests/crosscheck imports torch, which the default test environment does not install.
    if collection_path.name == "crosscheck" and not config.getoption("--crosscheck"):
        return True
    return None


#: The xdist group of every test marked ``jupyter_kernels``.
KERNEL_GROUP = "jupyter-kernels"


# tryfirst: xdist writes each test's group into its node id in its own collection hook, which
# pytest would otherwise call before this one, dropping every group given here.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Groups for pytest-xdist's ``--dist loadgroup`` (``nox -s tests``).

    - A test marked ``jupyter_kernels`` (it starts Jupyter kernels: a build of notebook
      pages, an nbclient run) is in one group, so two workers never start kernels at once.
      jupyter_client picks a kernel's ports by binding to port 0 and letting go; another
      process can take a port before the kernel binds it, and in a fresh-clone CI with two
      workers a kernel died with "ZMQError: Address already in use".
    - A test with its own ``xdist_group`` keeps it (tests/site/conftest.py groups the browser
      tests of a page).
    - Any other test runs on the worker of its file, so a module's fixtures (a browser page,
      a scratch build, a program server) are made once.
    """
    for item in items:
        if item.get_closest_marker("jupyter_kernels") is not None:
            item.add_marker(pytest.mark.xdist_group(KERNEL_GROUP))
        elif item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
