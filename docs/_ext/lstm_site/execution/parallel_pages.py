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

And one that cost time where nothing runs in parallel: Sphinx 9 forks a reader even for one
page, which then sends the whole environment back, pickled: 0.5 s of the rebuild after an
edit to one page. One page is read in the main process.
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


#: The ``-j`` a build was started with, while its reading runs in one process.
ASKED_PARALLEL = "_lstm_site_asked_parallel"


def read_one_page_here(app, env, docnames) -> None:
    """Read a lone page in this process: ``-j 1`` for the reading only.

    >>> from types import SimpleNamespace
    >>> app = SimpleNamespace(parallel=2)
    >>> read_one_page_here(app, None, ["a", "b"]); app.parallel
    2
    >>> read_one_page_here(app, None, ["a"]); app.parallel
    1
    >>> restore_parallel(app, None); app.parallel
    2
    """
    if len(docnames) == 1 and app.parallel > 1:
        setattr(app, ASKED_PARALLEL, app.parallel)
        app.parallel = 1


def restore_parallel(app, env) -> None:
    """Write in parallel again, as ``-j`` asked."""
    app.parallel = getattr(app, ASKED_PARALLEL, app.parallel)


def one_page_per_task_in_sphinx() -> None:
    """Sphinx hands out pages one per task (:func:`one_page_per_task`) where it can."""
    if hasattr(sphinx.builders, "make_chunks"):  # else Sphinx's own chunks: slower, still right
        sphinx.builders.make_chunks = one_page_per_task
