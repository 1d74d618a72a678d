"""Run every page with the interpreter that runs Sphinx, in the kernel environment
:data:`KERNEL_ENV`.

A user-level kernelspec named ``python3`` would otherwise shadow the build environment's:
directories on ``JUPYTER_PATH`` are searched before the user's, so the build writes its own
``python3`` kernelspec next to its execution cache and puts that folder first. Its kernels
are forked from a warm parent (:mod:`lstm_site.execution.warm_kernels`) unless that is off.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from lstm_site.execution import warm_kernels

#: The environment of every page's kernel (and of the bench's page scripts). No thread caps:
#: eight pairs of cold builds on 2 cores, kernels uncapped and capped to one thread each,
#: were within 1 % on average (capped faster in 4 of 8), less than the 10 % the same build
#: varies by from run to run; the outputs were the same.
KERNEL_ENV = {
    "KERAS_BACKEND": "tensorflow",
    "PYTHONHASHSEED": "0",
    # Level 3: TensorFlow's C++ runtime prints a harmless oneDNN notice at ERROR level on
    # CPUs without AVX-512 when some ops first run; 3 keeps it off the page and stderr.
    "TF_CPP_MIN_LOG_LEVEL": "3",
    # matplotlib stamps SVG/PDF with this date instead of now.
    "SOURCE_DATE_EPOCH": "0",
}

#: Reproducible figures: the rc file fixes the salt of SVG element ids (random by default).
MATPLOTLIBRC = "svg.hashsalt: lstm-outputs\n"


#: ipykernel's options. ERROR: ipykernel warns on every start that a local kernel talks over
#: TCP without encryption, which would reach the build log; cell errors still fail the build.
KERNEL_OPTIONS = ["-f", "{connection_file}", "--IPKernelApp.log_level=ERROR"]


def kernel_env(matplotlibrc: Path) -> dict:
    """The environment of every page's kernel."""
    return {**KERNEL_ENV, "MATPLOTLIBRC": str(matplotlibrc)}


def kernel_spec(matplotlibrc: Path, command: list[str] | None = None) -> dict:
    """The kernelspec: this interpreter, quiet, with the build's kernel environment.

    ``command`` replaces ``python -m ipykernel_launcher`` (the warm parent's launcher).

    >>> spec = kernel_spec(Path("/x/matplotlibrc"))
    >>> spec["argv"][:3] == [sys.executable, "-m", "ipykernel_launcher"]
    True
    >>> spec["env"]["MATPLOTLIBRC"]
    '/x/matplotlibrc'
    """
    return {
        "argv": command or [sys.executable, "-m", "ipykernel_launcher", *KERNEL_OPTIONS],
        "display_name": "Python 3 (LSTM Outputs build)",
        "language": "python",
        "env": kernel_env(matplotlibrc),
    }


def pin_kernel(app) -> None:
    """Write the kernelspec beside the execution cache and put it first on JUPYTER_PATH."""
    config = getattr(app.env, "mystnb_config", None)
    cache = Path(config.execution_cache_path) if config else Path(app.outdir) / ".jupyter_cache"
    jupyter = cache.resolve().parent / "jupyter"
    kernels = jupyter / "kernels" / "python3"
    kernels.mkdir(parents=True, exist_ok=True)
    matplotlibrc = jupyter / "matplotlibrc"
    matplotlibrc.write_text(MATPLOTLIBRC)
    warm = warm_kernels.start_for_build(app, jupyter, kernel_env(matplotlibrc))
    command = warm.argv(KERNEL_OPTIONS) if warm else None
    spec = kernel_spec(matplotlibrc, command)
    (kernels / "kernel.json").write_text(json.dumps(spec, indent=1))
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(jupyter), *paths])
