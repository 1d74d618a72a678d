"""What the HTML gets: accessibility fixes, figures in both colour schemes, MathJax from the
site, downloads (the reader's notebook, the page as Markdown with its outputs), the versions
the pages were executed with in the footer, publishing (one base URL, canonical links,
sitemap, OpenGraph tags), and llms-full.txt from the Markdown pages."""

from __future__ import annotations


def setup(app):
    parts = ("a11y", "figures", "mathjax", "downloads", "footer", "publishing", "llms_full")
    for part in parts:
        app.setup_extension(f"lstm_site.html.{part}")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
