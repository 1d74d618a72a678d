"""Execute pages two at a time (``sphinx-build -j``) safely and evenly.

Each page runs in its own kernel while Sphinx reads it, so ``-j`` executes pages in
parallel. Two things stood in the way, both found by the project's guard rails:

- jupyter-cache creates its SQLite tables on first use, after checking that the database
  file does not exist. On an empty cache two reader processes both find no file, both create
  the tables, and one build fails: "table settings already exists" (the fail-loud tests).
  The database is created once, in the main process, before the readers start.
- Sphinx hands each reader a fixed, contiguous block of pages (about half of them each on 2
  cores), so one reader gets the pages that train models and the other idles: a cold build
  kept 2 cores only 1.2 times busy (``nox -s bench``). Each page becomes its own task, and a
  reader that finishes takes the next page.
"""

from __future__ import annotations

import sphinx.builders


def create_cache(app) -> None:
    """Create the cache folder and its database if execution uses the cache."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    from jupyter_cache import get_cache

    # Create the tables, then close the connection: SQLite forbids carrying an open
    # connection into the forked readers (its locks are per process, and a child closing an
    # inherited handle drops the locks of its own connection).
    get_cache(config.execution_cache_path).db.dispose()


def one_page_per_task(arguments, nproc, maxbatch=10):
    """Sphinx's ``make_chunks``, with a chunk of one: tasks are handed out as readers free up.

    >>> one_page_per_task(["a", "b", "c"], 2)
    [['a'], ['b'], ['c']]
    """
    return [[argument] for argument in arguments]


def setup(app):
    # After myst-nb's own builder-inited handler (priority 500), which resolves the path.
    app.connect("builder-inited", create_cache, priority=900)
    if hasattr(sphinx.builders, "make_chunks"):  # else Sphinx's own chunks: slower, still right
        sphinx.builders.make_chunks = one_page_per_task
    return {"parallel_read_safe": True, "parallel_write_safe": True}
