"""The build tests: sphinx-build on scratch copies of docs/, with the options every build of
the site uses (``lstm_site.build_rules.SPHINX_OPTIONS``; pytest puts docs/_ext on the path).

Each test copies docs/ (the real conf.py and extensions) and replaces the pages with tiny
ones, so a build costs a kernel start, not the site's TensorFlow imports.
"""
