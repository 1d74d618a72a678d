"""The package tests: ``lstm_outputs`` itself, its CLI and the example scripts.

The ``keras`` fixture (Keras imported once, quietly) lives in tests/conftest.py, which
tests/crosscheck shares.
"""
