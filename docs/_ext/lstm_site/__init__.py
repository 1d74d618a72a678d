"""The site's build machinery, as one Sphinx extension: ``extensions = [..., "lstm_site"]``.

- :mod:`lstm_site.execution`: executing the pages (the kernel and its warm parent, stale
  outputs, parallel reading, no log noise);
- :mod:`lstm_site.html`: what the HTML gets (accessibility fixes, themed figures, MathJax
  served from the site, the reader's notebook and the page's Markdown downloads, the version
  footer, publishing, llms-full.txt);
- :mod:`lstm_site.explorer`: the Explore page's controls, data and diagrams, from the package;
- :mod:`lstm_site.family_explorer`: the same page's ConvLSTM and ``RNN(cells)`` panel;
- :mod:`lstm_site.version_matrix`: the Keras versions page's tables, from the record that
  ``nox -s versions`` writes;
- :mod:`lstm_site.warned_builds`: a build that warned leaves no page up to date;
- :mod:`lstm_site.frozen_heap`: garbage collection skips a build's start-up and its last pass.

Everything is registered by :func:`setup`, below, in the order of a build. The modules hold
the handlers; importing this package imports none of them (the tools in tools/site_tools
import single modules, such as the kernel's environment).
"""

from __future__ import annotations

#: Every part may run in Sphinx's parallel readers and writers.
PARALLEL_SAFE = {"parallel_read_safe": True, "parallel_write_safe": True}


def setup(app):
    from lstm_site import explorer, family_explorer, frozen_heap, version_matrix, warned_builds
    from lstm_site.execution import kernel, log_noise, parallel_pages, stale_outputs
    from lstm_site.html import a11y, downloads, figures, footer, llms_full, mathjax, publishing

    # Start-up: what Sphinx, conf.py and the extensions made so far is never collected again.
    frozen_heap.freeze_heap()

    # Configuration: the footer's versions; publishing's base URL, sitemap and OpenGraph tags.
    app.connect("config-inited", footer.add_footer)
    publishing.load_sitemap_and_opengraph(app)
    app.connect("config-inited", publishing.no_social_cards)
    app.connect("config-inited", publishing.configure)
    # Machine readers: llms.txt, and the translator that writes each page as Markdown.
    llms_full.load_llms_txt(app)
    downloads.load_markdown_translator(app)

    # The builder is ready. Priorities run these after MyST-NB's handler (500), which
    # resolves the execution cache's path, and before any page is read (so before the
    # parallel readers fork): the page kernels' spec (and their warm parent), then the cache.
    app.connect("builder-inited", a11y.add_static)
    app.connect("builder-inited", kernel.pin_kernel, priority=800)
    app.connect("builder-inited", parallel_pages.create_cache, priority=900)
    # Last of all: the saved environment and the extensions' imports are frozen too.
    app.connect("builder-inited", frozen_heap.freeze_heap, priority=1000)

    # Which pages to read: those whose package or example code changed too; a lone page is
    # read in this process, the others one page per parallel reader.
    app.connect("env-get-outdated", stale_outputs.outdated_by_code)
    app.connect("env-before-read-docs", parallel_pages.read_one_page_here)
    parallel_pages.one_page_per_task_in_sphinx()

    # Reading: the directives pages use; a page whose output holds a log line fails.
    app.add_directive("themed-figure", figures.ThemedFigure)
    app.add_directive("explorer", explorer.ExplorerDirective)
    app.add_directive("family-explorer", family_explorer.FamilyExplorerDirective)
    app.add_directive("version-matrix", version_matrix.VersionMatrix)
    app.connect("doctree-read", log_noise.fail_on_log_noise)
    app.connect("env-updated", parallel_pages.restore_parallel)

    # Writing each page: its notebook and Markdown downloads (before the theme builds the
    # download menu, priority 500; the Markdown's entry added after it), the explorer's
    # assets, then the sidebar's labelled toggles (after the theme, which puts
    # generate_toctree_html in the context).
    app.connect("html-page-context", downloads.offer_notebook, priority=400)
    app.connect("html-page-context", downloads.offer_markdown, priority=400)
    app.connect("html-page-context", downloads.add_markdown_button, priority=600)
    app.connect("html-page-context", explorer.add_assets)
    app.connect("html-page-context", a11y.wrap_toctree, priority=900)
    app.add_css_file("site-a11y.css")

    # The end: every page in the sitemap (before sphinx-sitemap writes it, priority 500),
    # MathJax copied into the site, a build that warned forgotten, the heap frozen for exit.
    app.connect("build-finished", publishing.complete_sitemap, priority=400)
    app.connect("build-finished", mathjax.copy_mathjax)
    # llms-full.txt from the Markdown pages, after sphinx-llms-txt wrote llms.txt (500).
    app.connect("build-finished", llms_full.write_llms_full, priority=900)
    warned_builds.forget_builds_that_warned(app)
    app.connect("build-finished", frozen_heap.freeze_heap, priority=1000)
    return PARALLEL_SAFE
