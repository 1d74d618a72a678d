"""Every page downloadable as an executed notebook, beside its MyST source.

MyST-NB writes each executed notebook to ``jupyter_execute/`` next to the HTML folder; the
page's notebook is published under ``_sources/`` and the theme's download menu links it.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def offer_notebook(app, pagename, templatename, context, doctree) -> None:
    notebook = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not notebook.is_file():
        return
    published = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    published.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(notebook, published)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app):
    # Before the theme builds its download menu (default priority 500).
    app.connect("html-page-context", offer_notebook, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
