"""Tools that build, check and measure the site, outside Sphinx: the noxfile runs them, the
tests and the bench import them (importable in the project's environments, which put
``tools/`` on the path: ``[tool.hatch.build] dev-mode-dirs`` in pyproject.toml).

- :mod:`site_tools.sphinx_build`: the one sphinx-build command line (``python -m``);
- :mod:`site_tools.pages`: which files are pages, of docs/ and of a built site;
- :mod:`site_tools.page_code`: a page's code cells read as the build reads them, run as one
  plain program (the standalone-cells test and the bench);
- :mod:`site_tools.warm_programs`: those programs forked from one interpreter that imported
  Keras (the standalone-cells test);
- :mod:`site_tools.viewports`: the desktop and phone windows the site tests open pages in;
- :mod:`site_tools.site_outputs`: a built site's executed outputs, complete and reproducible;
- :mod:`site_tools.bench`: build, rebuild and CLI timings against their targets.
"""
