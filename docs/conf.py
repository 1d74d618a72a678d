"""Sphinx configuration: settings only. The build's code is the local extension
docs/_ext/lstm_site (kernel, stale outputs, parallel reading, log noise, HTML fixes)."""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).parent
sys.path.insert(0, str(DOCS / "_ext"))
from lstm_site.html.publishing import base_url, url_prefix

project = "LSTM Outputs"
author = "The LSTM Outputs engineers"
copyright = "2026, the LSTM Outputs engineers"

extensions = [
    "myst_nb",
    "sphinx_copybutton",
    "sphinx_design",
    "notfound.extension",
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "lstm_site",
]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute", "README.md"]

# --- Executing the pages (lstm_site.execution) ---------------------------------------
nb_execution_mode = "cache"
# Outside the HTML output and excluded from the sources, so it is neither read as a page
# nor published. The stamps of the code the pages run (src/, examples/) live inside it.
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
nb_execution_raise_on_error = True
# Per cell. 300 s, the backends page's own subprocess limit: that page waits on one process per
# backend, each importing its framework, and on a loaded 2-core machine (load 15+) TensorFlow's
# import alone took 30-70 s, so 120 s timed out.
nb_execution_timeout = 300
nb_execution_show_tb = True
# Anything a page prints to stderr (a Python warning, a log line) fails the build.
nb_output_stderr = "warn"
nb_merge_streams = True
# Markdown a cell displays is parsed as MyST, so computed tables and cards render.
nb_render_markdown_format = "myst"

myst_enable_extensions = ["colon_fence", "dollarmath", "amsmath", "deflist", "substitution"]
myst_heading_anchors = 3

# --- Figures (lstm_site.html.figures: the themed-figure directive) ---------------------
# A figure's image links to its full-size SVG file (Sphinx links every image given a width,
# and themed-figure gives each its own). The directive numbers figures on each page itself.
html_scaled_image_link = True

# --- API reference (docs/reference/api.md) ---------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}

# --- Cross-references: every one must resolve (sphinx-build -n) -----------------------
# Python's inventory, kept in the repository (Debian's python3-doc), so the build is offline.
intersphinx_mapping = {"python": ("https://docs.python.org/3.11/", "_inventories/python-3.11.inv")}
# Targets in the API page's signatures that no offline inventory resolves, each by name.
nitpick_ignore = [
    # NumPy publishes its inventory only online (numpy.org); none ships in a package here.
    ("py:class", "numpy.ndarray"),
    # The same for matplotlib (matplotlib.org): diagrams.py returns figures.
    ("py:class", "matplotlib.figure.Figure"),
]

# --- HTML (lstm_site.html adds the footer's versions and accessibility fixes) ----------
# The pydata theme reads the colour scheme from localStorage, falling back to default_mode;
# left unset, a first visit logs "Got invalid theme mode" to the browser console.
html_context = {"default_mode": "auto"}
html_theme = "sphinx_book_theme"
html_title = "LSTM Outputs"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_favicon = "_static/favicon.svg"
# Search results: summaries from the article only (docs/_static/search-summary.js).
html_js_files = ["search-summary.js"]
html_last_updated_fmt = None
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "home_page_in_toc": True,
    "show_navbar_depth": 2,  # the Diátaxis sections open in the sidebar
    # No top bar above the book layout: the sidebar already has the search field
    # (with pydata-sphinx-theme 0.16+ the book theme would show a second search box there).
    "navbar_persistent": [],
    "footer_content_items": ["copyright.html", "extra-footer.html"],
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

# --- Offline: MathJax 3 served from the site itself (lstm_site.html.mathjax copies it) ---
mathjax_path = "mathjax/tex-svg.js"  # relative to _static

# --- The 404 page ------------------------------------------------------------------------
# Its links must be absolute (it is served at any depth): the site's root path on the host.
# The path of the site's base URL, by the one rule of lstm_site.html.publishing; locally "/".
notfound_urls_prefix = url_prefix(base_url())
notfound_context = {
    "title": "Page not found",
    "body": "<h1>Page not found</h1>\n<p>There is no page at this address. Start again from "
    '<a href="' + notfound_urls_prefix + 'index.html">what a Keras LSTM layer returns</a>, '
    "or search the site.</p>",
}


# --- For machine readers: llms.txt (sphinx-llms-txt, loaded by lstm_site) --------------
# llms.txt (https://llmstxt.org) lists every page by its Markdown with the computed outputs,
# PAGE.html.md, which lstm_site.html.page_markdown writes beside each page's HTML.
llms_txt_uri_template = "{base_url}{docname}.html.md"
llms_txt_summary = (
    "What exactly a Keras LSTM layer returns: units, return_sequences, return_state, their "
    "four combinations, and how to use each output. Every shape, value and figure on these "
    "pages is computed by code that runs when the site is built; each page below is linked "
    "as Markdown that holds those computed outputs."
)
# llms-full.txt: all those pages in one file (lstm_site.html.llms_full writes it again: the
# package's own joins the MyST sources, which hold none of the outputs).

# --- Publishing ---------------------------------------------------------------------------
# The base URL (canonical links, sitemap.xml, og:url) comes from the host's environment, or
# http://127.0.0.1:8000/ for a local build: lstm_site.html.publishing, which also loads
# sphinx-sitemap and sphinxext-opengraph.
sitemap_url_scheme = "{link}"  # one language, one version: no /en/latest/ inserted
sitemap_excludes = ["404.html", "search.html", "genindex.html", "py-modindex.html"]
ogp_site_name = project
# No generated card images (they would need fonts and time at build); no og:image at all
# rather than one from another host.
ogp_social_cards = {"enable": False}
