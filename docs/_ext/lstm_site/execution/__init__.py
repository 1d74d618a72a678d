"""Executing the pages: the kernel and its warm parent, stale outputs, parallel reading, no
log noise (registered by :func:`lstm_site.setup`)."""
