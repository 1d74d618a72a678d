"""What the HTML gets: accessibility fixes, figures in both colour schemes, MathJax from the
site, notebook downloads, the versions the pages were executed with in the footer, and
publishing (one base URL, canonical links, sitemap, OpenGraph tags); registered by
:func:`lstm_site.setup`."""
