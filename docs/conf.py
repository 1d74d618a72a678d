"""Sphinx configuration: MyST-NB pages executed at build time, strictly."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

DOCS = Path(__file__).parent
BUILD = DOCS / "_build"

project = "LSTM Outputs"
author = "The LSTM Outputs engineers"
copyright = "2026, the LSTM Outputs engineers"

extensions = [
    "myst_nb",
    "sphinx_copybutton",
    "sphinx_design",
    "notfound.extension",
    "sphinx.ext.autodoc",
]
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
            "TF_CPP_MIN_LOG_LEVEL": "3",
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

# --- API reference (docs/reference/api.md) ---------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}

# --- HTML ----------------------------------------------------------------------------
# The pydata theme reads the colour scheme from localStorage, falling back to default_mode;
# left unset, a first visit logs "Got invalid theme mode" to the browser console.
html_context = {"default_mode": "auto"}
# Accessibility fixes to the theme's markup, found by the browser tests: docs/_ext/site_a11y.py.
extensions.append("site_a11y")
html_theme = "sphinx_book_theme"
html_title = "LSTM Outputs"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_last_updated_fmt = None


def _version(distribution: str) -> str:
    """An installed distribution's version, read from its metadata: TensorFlow is not imported."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


BUILT_WITH = {"TensorFlow": _version("tensorflow"), "Keras": _version("keras")}
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_navbar_depth": 2,  # the Diátaxis sections open in the sidebar
    # No top bar above the book layout: the sidebar already has the search field
    # (with pydata-sphinx-theme 0.16+ the book theme would show a second search box there).
    "navbar_persistent": [],
    "footer_content_items": ["copyright.html", "extra-footer.html"],
    "extra_footer": "<p>Pages executed with "
    + " and ".join(f"{name}&nbsp;{v}" for name, v in BUILT_WITH.items())
    + f", Python&nbsp;{sys.version_info.major}.{sys.version_info.minor}.</p>",
}

# --- Copying ---------------------------------------------------------------------------
# A copy button on code a reader runs, never on a cell's output.
# Double quotes inside: copybutton pastes the selector into a single-quoted JS string.
copybutton_selector = 'div[class*="highlight-"]:not(.output) > div.highlight > pre'
# Prompts ($, >>>, ...) are matched by the pattern below and only the lines that carry one
# are copied, so a console block's output lines are left out without leaving blank lines.
copybutton_exclude = ".linenos"
copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True

# --- Offline: MathJax served from the site itself ---------------------------------------
# MathJax 3 comes from the `django-static-mathjax` wheel (plain files, no Django needed).
# The SVG output needs no web fonts, so formulas render from file:// too.
_MATHJAX = Path(find_spec("mathjax").submodule_search_locations[0]) / "static" / "mathjax" / "es5"
_MATHJAX_PARTS = ["tex-svg.js", "input", "ui", "a11y", "sre"]
mathjax_path = "mathjax/tex-svg.js"  # relative to _static


def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in _MATHJAX_PARTS:
        source = _MATHJAX / part
        if source.is_dir():
            shutil.copytree(source, target / part, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / part)


# --- Downloads: every page as its source and as an executed notebook -------------------
def _offer_notebook(app, pagename, templatename, context, doctree) -> None:
    """Publish MyST-NB's executed notebook beside the page source; the theme links it."""
    notebook = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not notebook.is_file():
        return
    published = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    published.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(notebook, published)
    context["ipynb_source"] = f"{pagename}.ipynb"


# --- The 404 page ------------------------------------------------------------------------
# Its links must be absolute (it is served at any depth): the site's root path on the host.
# The path of the site's base URL, by the one rule of docs/_ext/publishing.py; locally "/".
from publishing import base_url, url_prefix

notfound_urls_prefix = url_prefix(base_url())
notfound_context = {
    "title": "Page not found",
    "body": "<h1>Page not found</h1>\n<p>There is no page at this address. Start again from "
    '<a href="' + notfound_urls_prefix + 'index.html">what a Keras LSTM layer returns</a>, '
    "or search the site.</p>",
}


# --- Re-executing pages when the code they run changes ---------------------------------
# The execution cache keys a page on its own cells only. A page also runs the package
# (src/) and may run a script from examples/; when one of those changes, the page's cached
# outputs are stale. Stamp them: a changed package re-executes every page, a changed
# example the pages that name it.
ROOT = DOCS.parent
STAMPS = BUILD / "dependency-stamps.json"


def _stamps() -> dict[str, str]:
    import hashlib

    def digest(paths) -> str:
        sha = hashlib.sha256()
        for path in sorted(paths):
            sha.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
        return sha.hexdigest()

    stamps = {"src": digest((ROOT / "src").rglob("*.py"))}
    for example in sorted((ROOT / "examples").glob("*.py")):
        stamps[f"examples/{example.name}"] = digest([example])
    return stamps


def _outdated_by_code(app, env, added, changed, removed) -> list[str]:
    old = json.loads(STAMPS.read_text()) if STAMPS.is_file() else {}
    new = _stamps()
    stale = {key for key in new.keys() | old.keys() if old.get(key) != new.get(key)}
    if not stale:
        return []
    if "src" in stale:
        docs = set(env.found_docs)
    else:
        docs = {
            doc
            for doc in env.found_docs
            if any(key in Path(env.doc2path(doc)).read_text(encoding="utf-8") for key in stale)
        }
    paths = {str(Path(env.doc2path(doc)).resolve()) for doc in docs}
    if Path(nb_execution_cache_path).is_dir():
        from jupyter_cache import get_cache

        cache = get_cache(nb_execution_cache_path)
        for record in cache.list_cache_records():
            if str(Path(record.uri).resolve()) in paths:
                cache.remove_cache(record.pk)
    return sorted(docs - added)


def _save_stamps(app, exception) -> None:
    if exception is None:
        STAMPS.write_text(json.dumps(_stamps(), indent=1))


# --- No log noise on a page ---------------------------------------------------------------
# stderr already fails the build (nb_output_stderr), but TensorFlow's Python logger writes
# "WARNING:tensorflow:..." to stdout inside a kernel; these lines fail the build from any stream.
LOG_NOISE = re.compile(
    r"^(WARNING|ERROR):tensorflow:"  # TensorFlow's Python logger
    r"|^[IWEF]\d{4} \d\d:\d\d:\d\d"  # absl / C++ runtime lines (I0000 00:00:...)
    r"|oneDNN custom operations|cudart_stub|absl::InitializeLog",
    re.MULTILINE,
)


def _fail_on_log_noise(app, doctree) -> None:
    from docutils import nodes
    from sphinx.util import logging

    for block in doctree.findall(nodes.literal_block):
        match = LOG_NOISE.search(block.astext())
        if match:
            logging.getLogger(__name__).warning(
                "a cell output contains a log line: %r", match.group(0), location=block
            )


def setup(app):
    app.connect("doctree-read", _fail_on_log_noise)
    # Before the theme builds its download menu (default priority 500).
    app.connect("html-page-context", _offer_notebook, priority=400)
    app.connect("build-finished", _copy_mathjax)
    app.connect("env-get-outdated", _outdated_by_code)
    app.connect("build-finished", _save_stamps)


# --- Publishing ---------------------------------------------------------------------------
# The base URL (canonical links, sitemap.xml, og:url) comes from the host's environment, or
# http://127.0.0.1:8000/ for a local build: docs/_ext/publishing.py, which also loads
# sphinx-sitemap and sphinxext-opengraph.
extensions.append("publishing")
sitemap_url_scheme = "{link}"  # one language, one version: no /en/latest/ inserted
sitemap_excludes = ["404.html", "search.html", "genindex.html", "py-modindex.html"]
ogp_site_name = project
# No generated card images (they would need fonts and time at build); no og:image at all
# rather than one from another host.
ogp_social_cards = {"enable": False}
