"""The build tests: sphinx-build on scratch copies of docs/, with the options every build of
the site uses (``site_tools.sphinx_build.command``).

Each test copies docs/ (the real conf.py and extensions) and replaces the pages with tiny
ones, so a build costs a kernel start, not the site's TensorFlow imports.
"""
