"""Create the execution cache's database before Sphinx starts its parallel readers.

jupyter-cache creates its SQLite tables on first use, after checking that the database file
does not exist. With ``sphinx-build -j`` on an empty cache, two reader processes both find no
file, both create the tables, and one build fails: "table settings already exists". Found by
the fail-loud tests; creating the database once, in the main process, removes the race.
"""

from __future__ import annotations


def create_cache(app) -> None:
    """Create the cache folder and its database if execution uses the cache."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return
    from jupyter_cache import get_cache

    get_cache(config.execution_cache_path).db  # noqa: B018 - creates the tables once


def setup(app):
    # After myst-nb's own builder-inited handler (priority 500), which resolves the path.
    app.connect("builder-inited", create_cache, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
