"""The reader's notebook of a page: what the page shows, as a notebook that runs on its own.

A reader who downloads a page's ``.ipynb`` has neither this site's package nor MyST-NB. So the
notebook is built from the page and its executed outputs (MyST-NB's execution cache):

- a ``remove-cell`` cell is dropped; a ``remove-input`` cell's code is dropped and what it
  displayed (a table, a figure, printed text) becomes a Markdown cell (figures as image
  attachments); a cell that displays nothing (it only checks or glues) leaves nothing;
- every visible cell keeps its code and its executed outputs (none where ``remove-output``);
- the prose is plain Markdown (:mod:`lstm_site.html.plain_markdown`): glued values in place,
  cross-references as links to the site, admonitions as blockquotes.

What cannot be converted raises :class:`~lstm_site.html.plain_markdown.NotPlain`.
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
from pathlib import Path
from urllib.parse import urljoin

import nbformat
from docutils import nodes
from jupyter_cache import get_cache
from myst_nb.core.read import create_nb_reader
from myst_nb.core.render import get_mime_priority
from myst_nb.core.utils import coalesce_streams
from myst_nb.ext.glue import extract_glue_data
from sphinx import addnodes
from sphinx.directives.code import LiteralIncludeReader

from lstm_site.html.plain_markdown import NotPlain, plain

#: Tags that take a cell's source off the page (MyST-NB's).
HIDDEN_TAGS = frozenset({"remove-input", "remove-cell"})
#: Page-only tags: the notebook has no cell they apply to.
PAGE_TAGS = HIDDEN_TAGS | {"remove-output"}
#: Image types a Markdown cell carries as attachments (base64, as Jupyter reads them).
IMAGES = ("image/svg+xml", "image/png", "image/jpeg", "image/gif")


def executed_notebook(env, docname: str) -> nbformat.NotebookNode | None:
    """The page as MyST-NB reads it, with the outputs of its execution merged in from the
    cache; None for a page MyST-NB does not read as a notebook."""
    path = str(env.doc2path(docname))
    text = Path(path).read_text(encoding="utf-8")
    reader = create_nb_reader(path, env.myst_config, env.mystnb_config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    cache = get_cache(env.mystnb_config.execution_cache_path)
    try:
        _, merged = cache.merge_match_into_notebook(notebook)
    except KeyError:
        raise NotPlain("no executed notebook in the execution cache matches the page") from None
    return merged


class SitePage:
    """One page's glue values, links and included files, as :func:`plain` asks for them."""

    def __init__(self, app, docname: str, glue: dict, base_url: str):
        self.app, self.env, self.docname = app, app.env, docname
        self.glue_data, self.base_url = glue, base_url
        self.attachments: dict[str, dict] = {}

    def glue(self, key: str) -> dict:
        if key not in self.glue_data:
            raise NotPlain(f"no glued value {key!r} on the page")
        return self.glue_data[key]["data"]

    def url(self, docname: str) -> str:
        return urljoin(self.base_url, self.app.builder.get_target_uri(docname))

    def link(self, role: str, target: str) -> tuple[str, str]:
        if role == "download":
            return self._download(target)
        if role == "doc" and not target:
            return "", self.url(self.docname)
        std = self.env.get_domain("std")
        reftarget = target.lower() if role in ("ref", "term") else target
        pending = addnodes.pending_xref(
            "",
            refdomain="std",
            reftype=role,
            reftarget=reftarget,
            refdoc=self.docname,
            refexplicit=False,
        )
        reference = std.resolve_xref(
            self.env, self.docname, self.app.builder, role, reftarget, pending, nodes.inline()
        )
        if reference is None:
            raise NotPlain(f"the {{{role}}} target {target!r} is not on the site")
        here = self.url(self.docname)
        if "refuri" not in reference:
            return reference.astext(), f"{here}#{reference['refid']}"
        return reference.astext() or target, urljoin(here, reference["refuri"])

    def _download(self, target: str) -> tuple[str, str]:
        relative, _ = self.env.relfn2path(target, self.docname)
        found = {str(name): entry for name, entry in self.env.dlfiles.items()}
        if str(relative) not in found:
            raise NotPlain(f"the download {target!r} is not on the site")
        _, destination = found[str(relative)]
        return posixpath.basename(target), urljoin(self.base_url, f"_downloads/{destination}")

    def include(self, argument: str, options: dict[str, str]) -> tuple[str, str]:
        _, filename = self.env.relfn2path(argument, self.docname)  # as the directive finds it
        # As the directive's own option converters give them: an empty ``:dedent:`` is None.
        typed = {
            key: (int(value) if value else None) if key in ("dedent", "lineno-start") else value
            for key, value in options.items()
        }
        text, _ = LiteralIncludeReader(filename, typed, self.app.config).read()
        return text, options.get("language", "")

    def attach(self, bundle: dict) -> str:
        [(mime, data)] = bundle.items()
        encoded = base64.b64encode(data.encode()).decode() if mime == "image/svg+xml" else data
        name = f"{hashlib.sha256(encoded.encode()).hexdigest()[:16]}.{mime.split('/')[1][:3]}"
        self.attachments[name] = {mime: encoded}
        return name


def _markdown_cell(source: str, page: SitePage) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source)
    if page.attachments:
        cell.attachments, page.attachments = page.attachments, {}
    return cell


def displayed(outputs: list, priority: list[str], page: SitePage) -> str:
    """What a hidden cell's outputs show on the page, as Markdown (``priority``: MyST-NB's
    order of mime types for HTML).

    >>> from nbformat.v4 import new_output
    >>> printed = new_output("stream", name="stdout", text="tuple 3\\n")
    >>> result = new_output("display_data", data={"text/plain": "'a'", "text/html": "<b>a</b>"})
    >>> print(displayed([printed, result], ["text/html", "text/plain"], page=None))
    ```text
    tuple 3
    ```
    <BLANKLINE>
    <b>a</b>
    >>> displayed([new_output("stream", name="stderr", text="careful")], [], page=None)
    Traceback (most recent call last):
    ...
    lstm_site.html.plain_markdown.NotPlain: a hidden cell wrote to stderr
    """
    shown = []
    for output in outputs:
        if output.output_type == "stream":
            if output.name != "stdout":
                raise NotPlain(f"a hidden cell wrote to {output.name}")
            shown.append(f"```text\n{output.text.rstrip()}\n```")
        elif output.output_type in ("display_data", "execute_result"):
            mime = next((m for m in priority if m in output.data), None)
            if mime is None:
                raise NotPlain(f"a hidden cell displayed only {sorted(output.data)}")
            data = output.data[mime]
            if mime == "text/markdown":
                shown.append(plain(data, page))
            elif mime in IMAGES:
                shown.append(f"![output](attachment:{page.attach({mime: data})})")
            elif mime in ("text/html", "text/latex"):
                shown.append(data.strip())
            elif mime == "text/plain":
                shown.append(f"```text\n{data.rstrip()}\n```")
            else:
                raise NotPlain(f"a hidden cell displayed {mime}, which a notebook cannot carry")
        else:
            raise NotPlain(f"a hidden cell has an output of type {output.output_type}")
    return "\n\n".join(shown)


def _visible_outputs(outputs: list, page: SitePage) -> list:
    for output in outputs:
        if "text/markdown" in output.get("data", {}):
            output.data["text/markdown"] = plain(output.data["text/markdown"], page)
            if page.attachments:
                raise NotPlain("a visible cell displayed Markdown with a figure")
        output.get("metadata", {}).pop("scrapbook", None)
    return outputs


def page_outputs(cell, merge_streams: bool) -> list:
    """A code cell's outputs as its page shows them: with ``nb_merge_streams`` the page
    merges a stream's pieces, which arrive split wherever the kernel happened to flush.

    >>> from nbformat.v4 import new_code_cell, new_output
    >>> pieces = [new_output("stream", name="stdout", text=t) for t in ("a\\n", "b\\n")]
    >>> [o.text for o in page_outputs(new_code_cell(outputs=pieces), merge_streams=True)]
    ['a\\nb\\n']
    """
    if "remove-output" in cell.metadata.get("tags", []):
        return []
    return coalesce_streams(cell.outputs) if merge_streams else cell.outputs


def reader_notebook(app, docname: str, base_url: str) -> nbformat.NotebookNode | None:
    """The reader's notebook of the page ``docname`` (validated); None if it is no notebook.
    Its links are absolute, to the site at ``base_url``."""
    executed = executed_notebook(app.env, docname)
    if executed is None:
        return None
    glue = extract_glue_data(executed, executed.metadata.get("source_map", []), _Raise())
    page = SitePage(app, docname, glue, base_url)
    priority = get_mime_priority("html", app.env.mystnb_config.mime_priority_overrides)
    merge_streams = app.env.mystnb_config.merge_streams
    cells = []
    for cell in executed.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            source = plain(cell.source, page)
            if source.strip():
                cells.append(_markdown_cell(source, page))
        elif cell.cell_type == "code" and "remove-cell" in tags:
            continue
        elif cell.cell_type == "code" and "remove-input" in tags:
            shown = displayed(page_outputs(cell, merge_streams), priority, page)
            if shown:
                cells.append(_markdown_cell(shown, page))
        elif cell.cell_type == "code":
            code = nbformat.v4.new_code_cell(cell.source)
            code.execution_count = cell.get("execution_count")
            code.outputs = _visible_outputs(page_outputs(cell, merge_streams), page)
            kept = [tag for tag in tags if tag not in PAGE_TAGS]
            if kept:
                code.metadata["tags"] = kept
            cells.append(code)
        else:
            raise NotPlain(f"a {cell.cell_type} cell")
    notebook = nbformat.v4.new_notebook(cells=cells)
    for key in ("kernelspec", "language_info"):
        if key in executed.metadata:
            notebook.metadata[key] = executed.metadata[key]
    nbformat.validate(notebook)
    return notebook


class _Raise:
    """A logger for MyST-NB's glue extraction: what it would warn about is an error here."""

    def warning(self, message, **kwargs):
        raise NotPlain(message)
