"""What the HTML gets: accessibility fixes, figures in both colour schemes, MathJax from the site, notebook downloads, and
the versions the pages were executed with in the footer, and publishing (one base URL,
canonical links, sitemap, OpenGraph tags)."""

from __future__ import annotations


def setup(app):
    for part in ("a11y", "figures", "mathjax", "downloads", "footer", "publishing"):
        app.setup_extension(f"lstm_site.html.{part}")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
