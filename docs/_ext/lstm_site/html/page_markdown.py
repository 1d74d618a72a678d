"""Every page as Markdown, for machine readers: ``PAGE.html.md`` beside ``PAGE.html``.

The Markdown is written by sphinx-markdown-builder's translator from the same resolved
doctree the HTML is written from, in the same build (no second builder run), so it holds
what the page shows: the executed outputs, the glued values, the tables and figures the
hidden cells made. What this module adds to the package's translator:

- outputs a cell displayed as HTML (the cheat sheet's tables) are kept as HTML, as
  Markdown allows; a ``<script>`` is dropped (the explorer's data);
- a figure links its image as the site publishes it (``_images/``), once: the dark
  scheme's copy of a themed figure is left out; its caption follows it in italics;
- the nodes the package leaves to a warning (captions, sphinx-design's card texts,
  abbreviations, a titled admonition) are read as text.

The name follows the llms.txt proposal (https://llmstxt.org): a page's Markdown is at its
URL with ``.md`` appended. Its links are absolute, to the site's HTML pages at its base URL
(``html_baseurl``), so the file means the same wherever it is read.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import urljoin

from docutils import nodes
from sphinx_markdown_builder.contexts import WrappedContext
from sphinx_markdown_builder.translator import MarkdownTranslator, pushing_context

#: Appended to a page's HTML file name: ``learn/return-state.html.md``.
SUFFIX = ".md"
INTERACTIVE = "it runs in a browser, from the data of the lstm_outputs package"
#: A cell's output that is one preformatted block, and any tag inside it.
PRE = re.compile(r"<pre\b[^>]*>(?P<text>.*)</pre>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
#: Markup that means nothing to a reader of the HTML: the theme's classes, code's inner spans.
NOISE = re.compile(r' class="[^"]*"|<span class="pre">|</span>(?=</code>)')


def plain_html(markup: str) -> str:
    """A cell's HTML output without the theme's markup, its hover texts kept.

    >>> plain_html('<code class="docutils literal" title="h_T"><span class="pre">h</span></code>')
    '<code title="h_T">h</code>'
    """
    return NOISE.sub("", markup).strip()


class PageMarkdownTranslator(MarkdownTranslator):
    """The package's translator, run by the HTML builder on one page's doctree; its links
    are absolute, to the page at ``page_url`` and the site around it."""

    def __init__(self, document: nodes.document, builder, page_url: str):
        super().__init__(document, builder)
        self.page_url = page_url

    def _adjust_url(self, url: str) -> str:
        return urljoin(self.page_url, url)

    def _fetch_ref_uri(self, node) -> str:
        if not node.get("internal", self.status.default_ref_internal):
            return node.get("refuri", "")  # another site's page
        if "refid" in node:  # a section of this page
            return f"{self.page_url}#{node['refid']}"
        return self._adjust_url(node.get("refuri", ""))

    def visit_raw(self, node):
        if "html" not in node.get("format", "").split():
            raise nodes.SkipNode
        if "output" in node["classes"] and (pre := PRE.fullmatch(node.astext().strip())):
            # Text styled as HTML (Keras's model.summary()): the text alone, as printed.
            text = html.unescape(TAG.sub("", pre["text"])).strip("\n")
            self.add(f"```text\n{text}\n```", prefix_eol=2, suffix_eol=2)
        elif "output" in node["classes"]:  # what a cell displayed: a table
            self.add(plain_html(node.astext()), prefix_eol=2, suffix_eol=2)
        else:  # the page's own markup: the explorer, which runs only in a browser
            self.add(f"*(Interactive on the page: {INTERACTIVE})*", prefix_eol=2, suffix_eol=2)
        raise nodes.SkipNode

    def visit_literal_block(self, node):
        # A code cell's source as Python, its printed output as text (MyST-NB's lexers
        # ipython3 and myst-ansi mean nothing outside the site).
        if "output" in node["classes"]:
            node["language"] = "text"
        elif node.get("language") in ("ipython3", "ipython"):
            node["language"] = "python"
        super().visit_literal_block(node)

    @pushing_context
    def visit_reference(self, node):
        # A figure's image links to its full-size file: the image alone says as much.
        if len(node.children) == 1 and isinstance(node[0], nodes.image):
            self.visit_image(node[0])
            raise nodes.SkipNode
        super().visit_reference(node)

    def visit_image(self, node):
        if "only-dark" in node["classes"]:  # a themed figure's copy for the dark scheme
            raise nodes.SkipNode
        # The HTML writer has set it to where the image is published, relative to the page.
        uri = self._adjust_url(node["uri"])
        # Brackets in the alt text would end it early for a naive Markdown reader.
        alt = " ".join(node.get("alt", "figure").split()).replace("[", "(").replace("]", ")")
        self.add(f"![{alt}]({uri})", prefix_eol=2, suffix_eol=2)
        raise nodes.SkipNode

    def visit_caption(self, node):
        number = node.next_node(lambda n: "caption-number" in n.get("classes", ()))
        text = " ".join(node.astext().split())
        if number is not None:
            label = " ".join(number.astext().split())
            text = f"{label}: {text.removeprefix(label).strip()}"
        self.add(f"*{text}*", prefix_eol=2, suffix_eol=2)
        raise nodes.SkipNode

    @pushing_context
    def visit_download_reference(self, node):
        # The package's builder keeps downloads in its own folder; the HTML builder's is dlpath.
        if "filename" in node:
            target = self._adjust_url(posixpath.join(self.builder.dlpath, node["filename"]))
        else:
            target = node.get("refuri", node.get("reftarget", ""))
        self._push_context(WrappedContext("[", f"]({target})"))

    def visit_HideCodeCellNode(self, node):
        pass

    def depart_HideCodeCellNode(self, node):
        pass

    def visit_dropdown_main(self, node):  # sphinx-design's dropdown: its title, then its body
        pass

    def depart_dropdown_main(self, node):
        pass

    def visit_dropdown_title(self, node):
        self.add(f"**{' '.join(node.astext().split())}**", prefix_eol=2, suffix_eol=2)
        raise nodes.SkipNode

    def visit_PassthroughTextElement(self, node):
        pass

    def depart_PassthroughTextElement(self, node):
        pass

    def visit_abbreviation(self, node):
        pass

    def depart_abbreviation(self, node):
        pass

    def visit_admonition(self, node):
        pass

    def depart_admonition(self, node):
        pass


def page_markdown(app, pagename: str, doctree: nodes.document) -> str:
    """The page being written, as Markdown, from its resolved doctree."""
    document = doctree.deepcopy()
    page_url = urljoin(app.config.html_baseurl, app.builder.get_target_uri(pagename))
    translator = PageMarkdownTranslator(document, app.builder, page_url)
    document.walkabout(translator)
    return translator.astext()
