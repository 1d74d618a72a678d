"""What the HTML gets: accessibility fixes, figures in both colour schemes, MathJax from the
site, downloads (the reader's notebook, the page as Markdown with its outputs), llms-full.txt,
the versions the pages were executed with in the footer, and publishing (one base URL,
canonical links, sitemap, OpenGraph tags); registered by :func:`lstm_site.setup`."""
