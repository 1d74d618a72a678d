"""No log noise on a page.

stderr already fails the build (``nb_output_stderr = "warn"``), but TensorFlow's Python
logger writes ``WARNING:tensorflow:...`` to stdout inside a kernel; these lines fail the
build from any stream.
"""

from __future__ import annotations

import re

LOG_NOISE = re.compile(
    r"^(WARNING|ERROR):tensorflow:"  # TensorFlow's Python logger
    r"|^[IWEF]\d{4} \d\d:\d\d:\d\d"  # absl / C++ runtime lines (I0000 00:00:...)
    r"|oneDNN custom operations|cudart_stub|absl::InitializeLog",
    re.MULTILINE,
)


def log_line(text: str) -> str | None:
    """The first log line in a cell's output, if any.

    >>> log_line("ok\\nI0000 00:00:1764 port.cc:153] oneDNN custom operations are on")
    'I0000 00:00:17'
    >>> log_line("(None, 16)") is None
    True
    """
    match = LOG_NOISE.search(text)
    return match.group(0) if match else None


def fail_on_log_noise(app, doctree) -> None:
    from docutils import nodes
    from sphinx.util import logging

    for block in doctree.findall(nodes.literal_block):
        line = log_line(block.astext())
        if line:
            logging.getLogger(__name__).warning(
                "a cell output contains a log line: %r", line, location=block
            )
