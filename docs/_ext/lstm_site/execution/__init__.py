"""Executing the pages: the kernel, stale outputs, parallel reading, no log noise."""

from __future__ import annotations


def setup(app):
    for part in ("kernel", "stale_outputs", "parallel_pages", "log_noise"):
        app.setup_extension(f"lstm_site.execution.{part}")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
