"""Each Learn page links every glossary term it uses, at its first use in the prose, and
the glossary is linked from pages across the site.

Read from the page sources, no build needed: the terms come from the glossary page itself;
a use is the term (or its plural) in prose, outside code cells, code spans, maths, headings
and other roles; a link is a ``{term}`` role naming it. The section's index page is left
out: it lists the pages rather than using the words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# The repository root, wherever in tests/ this file lives.
ROOT = next(p for p in Path(__file__).parents if (p / "pyproject.toml").is_file())
DOCS = ROOT / "docs"
GLOSSARY = DOCS / "reference" / "glossary.md"
LEARN_PAGES = sorted(p for p in (DOCS / "learn").glob("*.md") if p.name != "index.md")
#: The fewest pages (the glossary aside) that link at least one glossary term.
MIN_LINKING_PAGES = 10

TERM_ROLE = re.compile(r"\{term\}`(?:[^`<]*<([^>`]+)>|([^`]+))`")
OTHER_ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
CODE_SPAN = re.compile(r"`[^`\n]*`")
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)
SKIPPED_FENCES = ("code-cell", "code-block", "literalinclude", "eval-rst")


def glossary_terms(text: str) -> list[str]:
    """The terms of the page's ``{glossary}`` block: its lines that are not indented."""
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return [
        line.strip()
        for line in block.splitlines()
        if line.strip() and not line.startswith((" ", ":"))
    ]


def prose(page: str) -> str:
    """The page with everything but its prose blanked out (positions are kept)."""
    kept, fence = [], None
    lines = page.split("\n")
    front_matter = lines[0] == "---"
    for number, line in enumerate(lines):
        if front_matter:
            front_matter = number == 0 or line != "---"
            kept.append("")
            continue
        if fence is None and line.startswith("```"):
            name = line[3:].strip()
            fence = (
                "skip"
                if not name.startswith("{") or name[1:].startswith(SKIPPED_FENCES)
                else "keep"
            )
            kept.append("")
            continue
        if fence is not None and line.strip() == "```":
            fence = None
            kept.append("")
            continue
        if fence == "skip" or line.startswith("#") or line.lstrip().startswith(":"):
            kept.append("")
            continue
        kept.append(line)
    text = "\n".join(kept)
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))
    return MATH.sub(blank, text)


def uses_and_links(page: str, terms: list[str]):
    """First plain use and first {term} link of each term: {term: (use, link)} positions."""
    text = prose(page)
    links: dict[str, int] = {}
    for match in TERM_ROLE.finditer(text):
        target = (match.group(1) or match.group(2)).strip().lower()
        links.setdefault(target, match.start())
    blank = lambda m: " " * len(m.group(0))
    text = CODE_SPAN.sub(blank, OTHER_ROLE.sub(blank, TERM_ROLE.sub(blank, text)))
    # Longer terms first: "hidden state" is a use of itself, not of "state".
    taken: list[tuple[int, int]] = []
    first_use: dict[str, int] = {}
    for term in sorted(terms, key=len, reverse=True):
        words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", term))
        for match in re.finditer(rf"\b{words}(?:e?s)?\b", text, re.IGNORECASE):
            start, end = match.span()
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            first_use.setdefault(term.lower(), start)
    return {term: (first_use.get(term), links.get(term)) for term in {t.lower() for t in terms}}


def unlinked_first_uses(page: str, terms: list[str]) -> list[str]:
    """The terms whose first use comes before any link to them (or that are never linked)."""
    return sorted(
        term
        for term, (use, link) in uses_and_links(page, terms).items()
        if use is not None and (link is None or link > use)
    )


def test_the_checker_finds_an_unlinked_first_use():
    terms = ["state", "hidden state", "units"]
    page = "A {term}`hidden state` of 16 units.\n\nThe state, then {term}`units`."
    assert unlinked_first_uses(page, terms) == ["state", "units"]
    linked = "A {term}`hidden state` of 16 {term}`units`, the {term}`states <state>`."
    assert unlinked_first_uses(linked, terms) == []
    ignored = "# The state\n\n`units=16`, $state$\n\n```{code-cell} ipython3\nstate\n```\n"
    assert unlinked_first_uses(ignored, terms) == []


def test_the_glossary_has_the_terms_the_issue_lists():
    terms = {t.lower() for t in glossary_terms(GLOSSARY.read_text(encoding="utf-8"))}
    assert {
        "timestep",
        "units",
        "hidden state",
        "h_t",
        "cell state",
        "c_t",
        "state",
        "output",
        "sequence",
        "mask",
        "padding",
        "return_sequences",
        "return_state",
        "initial_state",
        "stateful",
        "merge mode",
        "cudnn kernel",
        "generic kernel",
    } <= terms


@pytest.mark.parametrize("page", LEARN_PAGES, ids=lambda p: p.stem)
def test_learn_page_links_each_glossary_term_at_first_use(page):
    terms = glossary_terms(GLOSSARY.read_text(encoding="utf-8"))
    missing = unlinked_first_uses(page.read_text(encoding="utf-8"), terms)
    assert not missing, f"{page.name}: first use not linked to the glossary: {missing}"


def test_glossary_terms_are_linked_from_pages_across_the_site():
    terms = {t.lower() for t in glossary_terms(GLOSSARY.read_text(encoding="utf-8"))}
    linking = {}
    for page in sorted(DOCS.rglob("*.md")):
        if page == GLOSSARY or "_build" in page.parts:
            continue
        targets = {
            (m.group(1) or m.group(2)).strip().lower()
            for m in TERM_ROLE.finditer(prose(page.read_text(encoding="utf-8")))
        }
        assert targets <= terms, f"{page.name}: not in the glossary: {sorted(targets - terms)}"
        if targets:
            linking[str(page.relative_to(DOCS))] = sorted(targets)
    assert len(linking) >= MIN_LINKING_PAGES, sorted(linking)
