"""Sphinx configuration: MyST-NB pages executed at build time, strictly."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

DOCS = Path(__file__).parent
BUILD = DOCS / "_build"

project = "LSTM Outputs"
author = "The LSTM Outputs engineers"
copyright = "2026, the LSTM Outputs engineers"

extensions = ["myst_nb", "sphinx_copybutton", "sphinx_design"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute", "README.md"]

# --- Executing the pages -------------------------------------------------------------
nb_execution_mode = "cache"
# Pages are read, so executed, two at a time (sphinx-build -j): the cache's database must
# exist before the readers start, and each page is its own task (docs/_ext/parallel_pages.py).
sys.path.insert(0, str(DOCS / "_ext"))
extensions.append("parallel_pages")
# Outside the HTML output and excluded from the sources, so it is neither read as a page
# nor published.
nb_execution_cache_path = str(BUILD / ".jupyter_cache")
nb_execution_raise_on_error = True
nb_execution_timeout = 120
nb_execution_show_tb = True
# Anything a page prints to stderr (a Python warning, a log line) fails the build.
nb_output_stderr = "warn"
nb_merge_streams = True
# Markdown a cell displays is parsed as MyST, so computed tables and cards render.
nb_render_markdown_format = "myst"

myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist", "substitution"]
myst_heading_anchors = 3


def _pin_kernel() -> None:
    """Run every page with the interpreter that runs Sphinx.

    A user-level kernelspec named ``python3`` would otherwise shadow the build
    environment's; directories on JUPYTER_PATH are searched before the user's.
    """
    kernels = BUILD / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True, exist_ok=True)
    matplotlibrc = BUILD / "jupyter" / "matplotlibrc"
    matplotlibrc.write_text("svg.hashsalt: lstm-outputs\n")
    spec = {
        # ERROR: ipykernel warns on every start that a local kernel talks over TCP without
        # encryption, which would reach the build log; cell errors still fail the build.
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--IPKernelApp.log_level=ERROR",
        ],
        "display_name": "Python 3 (LSTM Outputs build)",
        "language": "python",
        "env": {
            "KERAS_BACKEND": "tensorflow",
            "PYTHONHASHSEED": "0",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            # Reproducible figures: matplotlib stamps SVG/PDF with this date instead of now,
            # and the rc file fixes the salt of SVG element ids (random by default).
            "SOURCE_DATE_EPOCH": "0",
            "MATPLOTLIBRC": str(matplotlibrc),
        },
    }
    (kernels / "kernel.json").write_text(json.dumps(spec, indent=1))
    jupyter_path = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(BUILD / "jupyter"), *([jupyter_path] if jupyter_path else [])]
    )


_pin_kernel()

# --- HTML ----------------------------------------------------------------------------
# The pydata theme reads the colour scheme from localStorage, falling back to default_mode;
# left unset, a first visit logs "Got invalid theme mode" to the browser console.
html_context = {"default_mode": "auto"}
# Accessibility fixes to the theme's markup, found by the browser tests: docs/_ext/site_a11y.py.
extensions.append("site_a11y")
html_theme = "sphinx_book_theme"
html_title = "LSTM Outputs"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "home_page_in_toc": True,
}
copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True
