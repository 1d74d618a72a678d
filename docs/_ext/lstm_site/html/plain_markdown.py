"""MyST Markdown made plain: the Markdown Jupyter renders, with no Sphinx role or directive left.

A page's prose uses MyST: ``{glue:text}`` roles, ``{doc}``/``{ref}``/``{term}`` links,
admonitions, ``literalinclude``, glued figures, sphinx-design cards. :func:`plain` rewrites
each into what Jupyter shows: the glued value, a link to the page on the site, a blockquote,
the included lines as a code block, an image attachment. What the page needs from the build
(glue values, where a link points, an included file) comes from a :class:`Page`. Anything
else raises :class:`NotPlain`, naming the construct, so no role is ever left behind.
"""

from __future__ import annotations

import re
from typing import Protocol

import yaml
from myst_nb.core.variables import format_plain_text


class NotPlain(ValueError):
    """A MyST construct the reader's notebook cannot show as plain Markdown."""


class Page(Protocol):
    """What converting one page's Markdown needs from the build."""

    def glue(self, key: str) -> dict:
        """The glued output's mime bundle (``data``) for ``key``."""

    def link(self, role: str, target: str) -> tuple[str, str]:
        """``(title, url)`` of a ``{doc}``, ``{ref}``, ``{term}`` or ``{download}`` target."""

    def include(self, argument: str, options: dict[str, str]) -> tuple[str, str]:
        """``(text, language)`` of a ``literalinclude``."""

    def attach(self, bundle: dict) -> str:
        """Attach an image bundle to the cell; the ``attachment:`` name."""


#: A code span, with the role that prefixes it if any: ``{term}`units```.
CODE_SPAN = re.compile(
    r"(?:\{(?P<role>[A-Za-z][\w:+.-]*)\})?(?<!`)(?P<ticks>`+)(?!`)(?P<content>.+?)(?<!`)(?P=ticks)(?!`)",
    re.DOTALL,
)
#: A link's destination in prose: ``](learn/return-state.md#the-code)``.
LINK_DESTINATION = re.compile(r"\]\((?P<url>[^)\s]+)\)")
#: A Markdown link, for an image's alt text: ``[text](url)``.
LINK = re.compile(r"\[(?P<text>[^\]]*)\]\([^)]*\)")
#: An explicit title: ``text <target>``.
EXPLICIT = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)
FENCE = re.compile(r"^(?P<indent> *)(?P<marks>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
DIRECTIVE = re.compile(r"^\{(?P<name>[^{}\s]+)\}\s*(?P<argument>.*)$")
OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
#: Lines with no place in plain Markdown: a target ``(name)=`` and a MyST comment ``% ...``.
DROPPED_LINE = re.compile(r"^\s*(\([^()\s]+\)=|%.*)\s*$")

ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
}
LINK_ROLES = ("doc", "ref", "term", "download")


def plain(text: str, page: Page) -> str:
    """``text`` (MyST) as plain Markdown.

    >>> class Site:
    ...     def glue(self, key): return {"text/plain": {"units": "16", "ratio": "0.123456"}[key]}
    ...     def link(self, role, target): return target.title(), f"https://x.org/{target}.html"
    >>> print(plain("{term}`Units <units>`: {glue:text}`units`, {glue:text}`ratio:.2f`", Site()))
    [Units](https://x.org/units.html): 16, 0.12
    >>> print(plain("(anchor)=\\n:::{note}\\nSee {doc}`cli`, not `{r}` or {math}`h_t`.\\n:::", Site()))
    > **Note**
    >
    > See [Cli](https://x.org/cli.html), not `{r}` or $h_t$.
    >>> plain("{sub-ref}`wordcount-words`", Site())
    Traceback (most recent call last):
    ...
    lstm_site.html.plain_markdown.NotPlain: the {sub-ref} role (`wordcount-words`)
    """
    lines = text.splitlines()
    blocks, prose = [], []
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if fence is None:
            if not DROPPED_LINE.match(lines[index]):
                prose.append(lines[index])
            index += 1
            continue
        blocks.append(inline("\n".join(prose), page))
        prose = []
        end = _closing(lines, index, fence["marks"])
        body = lines[index + 1 : end]
        info = fence["info"].strip()
        directive = DIRECTIVE.match(info)
        if directive is None:
            if fence["marks"][0] == ":":
                raise NotPlain(f"a {fence['marks']} fence without a directive name: {info!r}")
            blocks.append("\n".join(lines[index : end + 1]))
        else:
            options, body = _options(body)
            name, argument = directive["name"], directive["argument"].strip()
            blocks.append(_directive(name, argument, options, body, page))
        index = end + 1
    blocks.append(inline("\n".join(prose), page))
    return "\n".join(block for block in blocks if block is not None).strip("\n")


def inline(text: str, page: Page) -> str:
    """Prose with its roles replaced and its page links made site links; code spans kept."""
    parts, start = [], 0
    for span in CODE_SPAN.finditer(text):
        parts.append(_links(text[start : span.start()], page))
        role = span["role"]
        parts.append(span.group(0) if role is None else _role(role, span["content"], page))
        start = span.end()
    parts.append(_links(text[start:], page))
    return "".join(parts)


def _role(role: str, content: str, page: Page) -> str:
    if role in LINK_ROLES:
        explicit = EXPLICIT.match(content)
        target = explicit["target"] if explicit else content
        title, url = page.link(role, target)
        title = explicit["title"] if explicit else title
        return f"[{inline(title, page)}]({url})"
    if role.startswith("glue") and "::" in content:
        raise NotPlain(f"the {{{role}}} role on {content!r}, a value glued on another page")
    if role == "glue:text":
        key, _, spec = content.rpartition(":") if ":" in content else (content, "", "s")
        bundle = page.glue(key)
        if "text/plain" not in bundle:
            raise NotPlain(f"the glued value {key!r} has no text/plain")
        return format_plain_text(bundle["text/plain"], spec)
    if role in ("glue", "glue:any"):
        bundle = page.glue(content)
        if set(bundle) - {"text/plain"}:
            raise NotPlain(f"the {{{role}}} role on {content!r}, which is not plain text")
        return format_plain_text(bundle["text/plain"], "")
    if role == "glue:md":
        key = content.rsplit(":", 1)[0] if ":" in content else content
        bundle = page.glue(key)
        if "text/markdown" not in bundle:
            raise NotPlain(f"the glued value {key!r} has no text/markdown")
        return plain(bundle["text/markdown"], page)
    if role == "math":
        return f"${content}$"
    raise NotPlain(f"the {{{role}}} role (`{content}`)")


def _links(text: str, page: Page) -> str:
    """Links to a page's source (``other.md#anchor``) made links to the page on the site."""

    def site_link(match: re.Match) -> str:
        url = match["url"]
        path, _, anchor = url.partition("#")
        if "://" in url or url.startswith("mailto:"):
            return match.group(0)
        if path.endswith((".md", ".ipynb")) or not path:
            _, site_url = page.link("doc", path.rsplit(".", 1)[0] if path else "")
            return f"]({site_url}{'#' + anchor if anchor else ''})"
        raise NotPlain(f"a link to {url!r}, which is not a page")

    return LINK_DESTINATION.sub(site_link, text)


def _closing(lines: list[str], start: int, marks: str) -> int:
    """The index of the fence that closes the one at ``start`` (the end if none does)."""
    closing = re.compile(rf"^ *{re.escape(marks[0])}{{{len(marks)},}}\s*$")
    for index in range(start + 1, len(lines)):
        if closing.match(lines[index]):
            return index
    return len(lines)


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's ``:key: value`` options and the body after them."""
    options = {}
    index = 0
    while index < len(body) and (option := OPTION.match(body[index].strip())):
        value = option["value"].strip()
        # A quoted value is a YAML string, as MyST reads it: ``:start-at: "x = f("``.
        quoted = len(value) > 1 and value[0] == value[-1] and value[0] in "'\""
        options[option["key"]] = yaml.safe_load(value) if quoted else value
        index += 1
    if body[index : index + 1] == ["---"]:
        raise NotPlain("a directive with a YAML options block")
    return options, body[index:]


def _fenced(text: str, language: str = "") -> str:
    """``text`` as a fenced code block, the fence longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip(chr(10))}\n{fence}"


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines())


def _directive(name: str, argument: str, options: dict, body: list[str], page: Page) -> str | None:
    content = "\n".join(body)
    if name == "admonition" or name in ADMONITIONS:
        title = argument if name == "admonition" else ADMONITIONS[name]
        inner = plain(content, page)
        if name in ADMONITIONS and argument:
            inner = plain(argument + "\n" + content, page)
        return _quoted(f"**{inline(title, page)}**\n\n{inner}")
    if name in ("code-block", "code", "sourcecode"):
        return _fenced(content, argument)
    if name == "literalinclude":
        text, language = page.include(argument, options)
        return _fenced(text, language)
    if name == "math":
        return f"$$\n{content.strip()}\n$$"
    # A themed figure's argument names its light image (the dark one is glued beside it).
    if name in ("glue:figure", "themed-figure"):
        if "only-dark" in options.get("figclass", "").split():
            return None  # the dark theme's copy of the figure beside it: one is enough
        bundle = page.glue(argument)
        images = [mime for mime in bundle if mime.startswith("image/")]
        if not images:
            raise NotPlain(f"the glued figure {argument!r} holds no image")
        caption = plain(content, page).strip()
        alt = options.get("alt") or LINK.sub(r"\g<text>", caption).replace("*", "")
        alt = " ".join(alt.replace("[", "(").replace("]", ")").split()) or argument
        image = f"![{alt}](attachment:{page.attach({images[0]: bundle[images[0]]})})"
        return image + (f"\n\n*{caption}*" if caption else "")
    if name == "grid":
        return plain(content, page)
    if name == "grid-item-card":
        title = inline(argument, page)
        if "link" in options:
            role = options.get("link-type", "url")
            if role == "url":
                url = options["link"]
            elif role in ("doc", "ref"):
                url = page.link(role, options["link"])[1]
            else:
                raise NotPlain(f"a card linked by {role!r}")
            title = f"[{title}]({url})"
        return f"**{title}**\n\n{plain(content, page)}"
    if name == "version-matrix":
        from lstm_site.version_matrix import markdown_table

        return markdown_table(argument)
    if name == "toctree":
        if "hidden" not in options:
            raise NotPlain("a toctree that is not hidden")
        return None  # the site's navigation, not the page's content
    if name == "dropdown":
        summary = inline(argument, page)
        return f"<details>\n<summary>{summary}</summary>\n\n{plain(content, page)}\n\n</details>"
    raise NotPlain(f"the {{{name}}} directive")
