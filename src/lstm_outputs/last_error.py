"""Let go of the error an expected-error cell leaves behind.

A ``fit`` or ``predict`` that fails keeps its frames alive through the error, and with them
its tf.data iterator, in a reference cycle. IPython (and a page run as a program) keeps the
last error in ``sys.last_value``; if the iterator lives to the end of the program, the
destructor waits for its autotuning thread and holds up interpreter exit by seconds.
A page's hidden cell calls :func:`release_last_error` once it has checked the error.
"""

from __future__ import annotations

import gc
import sys

#: Where Python and IPython keep the last uncaught error (``last_exc``: Python 3.12+).
LAST_ERROR = ("last_type", "last_value", "last_traceback", "last_exc")


def release_last_error() -> None:
    """Forget the last error and collect the reference cycles it kept alive.

    >>> try:
    ...     1 / 0
    ... except ZeroDivisionError as error:
    ...     sys.last_value = error
    >>> release_last_error()
    >>> sys.last_value is None
    True
    """
    for name in LAST_ERROR:
        setattr(sys, name, None)
    gc.collect()
