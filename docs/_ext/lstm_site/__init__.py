"""The site's build machinery, as one Sphinx extension: ``extensions = ["lstm_site"]``.

- :mod:`lstm_site.build_rules`: how the site is built (Sphinx arguments, the kernel's
  environment, which files are pages), read by the noxfile, the tests and the bench;
- :mod:`lstm_site.execution`: executing the pages (kernel, stale outputs, parallel reading,
  no log noise);
- :mod:`lstm_site.html`: what the HTML gets (accessibility fixes, MathJax served from the
  site, notebook downloads, the version footer);
- :mod:`lstm_site.explorer`: the Explore page's controls, data and diagrams, from the package;
- :mod:`lstm_site.warned_builds`: a build that warned leaves no page up to date;
- :mod:`lstm_site.frozen_heap`: garbage collection skips a build's start-up and its last
  pass (listed first in conf.py's extensions);
- :mod:`lstm_site.site_outputs`: a built site's executed outputs, complete and reproducible.
- :mod:`lstm_site.page_code`: a page's code cells, read as the build reads them, run as one
  plain program (the standalone-cells test and the bench).

Importing the package imports no Sphinx: the noxfile reads :mod:`lstm_site.build_rules`.
"""

from __future__ import annotations


def setup(app):
    app.setup_extension("lstm_site.execution")
    app.setup_extension("lstm_site.html")
    app.setup_extension("lstm_site.explorer")
    app.setup_extension("lstm_site.warned_builds")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
