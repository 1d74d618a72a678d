"""Read what a built site shows as executed output; check it is complete and reproducible.

``python -m site_tools.site_outputs rendered DOCS SITE`` checks that every page source under DOCS
has its HTML page in SITE, with a title and its content.
``python -m site_tools.site_outputs compare SITE_A SITE_B`` checks that two builds show the same
executed outputs on every page: each cell's output and each glued value, with images
compared by content. Timings a cell may print (``12ms/step``) are masked first.

Used by ``nox -s determinism``, ``nox -s offline`` and the bench; standard library only.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_tools.pages import built_pages, page_sources

TIMING = re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|us|µs|ns|s)(?:/(?:step|sample|epoch))?\b")


def pages(site: Path) -> list[str]:
    """The HTML pages of a built site, relative to it (:func:`site_tools.pages.built_pages`)."""
    return built_pages(site)


def sources(docs: Path) -> list[str]:
    """The page sources under docs/, as the HTML pages they become."""
    return [p.relative_to(docs).with_suffix(".html").as_posix() for p in page_sources(docs)]


def _is_output(attrs: dict[str, str | None]) -> bool:
    classes = (attrs.get("class") or "").split()
    return "cell_output" in classes or any(c.startswith("pasted-") for c in classes)


class _Outputs(HTMLParser):
    """Collects the executed outputs of one page as normalised text, one item per output."""

    VOID = frozenset({"img", "br", "hr", "input", "meta", "link", "source", "wbr"})

    def __init__(self, page: Path):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.outputs: list[str] = []
        self.headings = 0
        self._depth = 0  # open elements inside the current output; 0: not in one
        self._parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h1":
            self.headings += 1
        if self._depth == 0:
            if not _is_output(attrs):
                return
            self._parts = []
        if tag == "img":
            self._parts.append(
                f"[img {self._image(attrs.get('src') or '')} alt={attrs.get('alt')!r}]"
            )
        if tag not in self.VOID:
            self._depth += 1
        elif self._depth == 0:  # a void element that is itself an output
            self._close()

    def handle_endtag(self, tag):
        if self._depth == 0 or tag in self.VOID:
            return
        self._depth -= 1
        if self._depth == 0:
            self._close()

    def handle_data(self, data):
        if self._depth:
            self._parts.append(data)

    def _close(self):
        text = " ".join("".join(self._parts).split())
        self.outputs.append(TIMING.sub("<time>", text))

    def _image(self, src: str) -> str:
        """An image by content, so two builds that name files differently still compare."""
        if src.startswith("data:"):
            return "data:sha256=" + hashlib.sha256(src.encode()).hexdigest()[:16]
        path = (self.page.parent / unquote(urlsplit(src).path)).resolve()
        if path.is_file():
            return "sha256=" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        return f"missing:{src}"


def _parse(page: Path) -> _Outputs:
    parser = _Outputs(page)
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def outputs(page: Path) -> list[str]:
    """A page's executed outputs (cells' and glued values), as normalised text."""
    return _parse(page).outputs


def rendered(docs: Path, site: Path) -> list[str]:
    """Problems: source pages with no HTML page, or one without a title."""
    built = set(pages(site))
    problems = []
    for page in sources(docs):
        if page not in built:
            problems.append(f"{page}: not rendered")
        elif _parse(site / page).headings == 0:
            problems.append(f"{page}: rendered without a title (h1)")
    return problems


def compare(site_a: Path, site_b: Path) -> tuple[int, int, list[str]]:
    """Pages and outputs compared, and the differences, page by page."""
    a, b = set(pages(site_a)), set(pages(site_b))
    problems = [f"{page}: only in {site_a}" for page in sorted(a - b)]
    problems += [f"{page}: only in {site_b}" for page in sorted(b - a)]
    count = 0
    for page in sorted(a & b):
        out_a, out_b = outputs(site_a / page), outputs(site_b / page)
        count += len(out_a)
        if out_a != out_b:
            diff = difflib.unified_diff(out_a, out_b, str(site_a / page), str(site_b / page), n=0)
            problems.append(f"{page}: outputs differ\n" + "\n".join(list(diff)[:40]))
    return len(a & b), count, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("rendered", help="every page source has an error-free page")
    check.add_argument("docs", type=Path)
    check.add_argument("site", type=Path)
    same = commands.add_parser("compare", help="two builds show the same executed outputs")
    same.add_argument("site_a", type=Path)
    same.add_argument("site_b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "rendered":
        problems = rendered(args.docs, args.site)
        summary = f"{len(sources(args.docs))} page sources, {len(pages(args.site))} pages built"
    else:
        n_pages, n_outputs, problems = compare(args.site_a, args.site_b)
        summary = f"{n_pages} pages, {n_outputs} executed outputs compared"
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{summary}: {'FAILED, ' + str(len(problems)) + ' problems' if problems else 'all good'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
