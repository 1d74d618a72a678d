"""A build that warned leaves no page up to date, so the next build warns again.

Sphinx rebuilds only the pages whose sources changed. A warning raised while pages are
written (an unresolved cross-reference, a notebook download that cannot be made) is not
raised again by an incremental build of unchanged sources, so after a failed strict build a
second ``nox -s docs`` would succeed on the same broken site. When a build logs a warning or
fails, its saved environment is removed: the next build reads every page again (their
outputs come from the execution cache, so nothing runs again) and reports the same warnings.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sphinx.application import ENV_PICKLE_FILENAME
from sphinx.util.logging import NAMESPACE, is_suppressed_warning


class WarningSeen(logging.Handler):
    """Notes whether Sphinx logged a warning it does not suppress (replayed ones included)."""

    def __init__(self, app) -> None:
        super().__init__(logging.WARNING)
        self.app = app
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        kind, subtype = getattr(record, "type", ""), getattr(record, "subtype", "")
        if not is_suppressed_warning(kind, subtype, self.app.config.suppress_warnings):
            self.seen = True


def forget_builds_that_warned(app) -> None:
    """Remove the saved environment at the end of a build that warned or failed."""
    # Parallel readers and writers log into their own process; their warnings are replayed
    # through the main process's "sphinx" logger, where this handler sees them.
    handler = WarningSeen(app)
    sphinx_logger = logging.getLogger(NAMESPACE)
    sphinx_logger.addHandler(handler)

    def forget_if_warned(app, exception) -> None:
        sphinx_logger.removeHandler(handler)
        if handler.seen or exception is not None:
            (Path(app.doctreedir) / ENV_PICKLE_FILENAME).unlink(missing_ok=True)

    app.connect("build-finished", forget_if_warned)
