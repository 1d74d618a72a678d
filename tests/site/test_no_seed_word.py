"""No reader-facing text calls a source tutorial a "seed": the word means a random seed only.

Searched: the built site's HTML (text and alt/title attributes), its ``_sources`` (page
sources and the downloadable notebooks, cells and outputs), ``examples/`` and ``src/``.
Every whole-word ``seed``/``seeds`` must sit in one of the random-seed uses below, and no
source number may follow the word (``seed 001``, ``seed_001``, ``SEED004``).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

# The repository root, wherever in tests/ this file lives.
ROOT = next(p for p in Path(__file__).parents if (p / "pyproject.toml").is_file())
SEED = re.compile(r"\bseeds?\b", re.IGNORECASE)
# A source's number after the word, in any spelling: never allowed.
SOURCE_NUMBER = re.compile(r"seeds?[\s_-]*0\d\d", re.IGNORECASE)
# Each pattern contains the word; a match of the word inside one of these is a random seed.
RANDOM_SEED_USES = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\brandom[\s-]+seeds?\b",  # prose: "a random seed", "the same random seeds"
        r"\bseed\s*=",  # a keyword argument or assignment: seed=1, SEED = 1
        r"\bseed\s*:\s*int\b",  # an annotated parameter: seed: int = 0
        r"\bseed\s*[)+,]",  # passed on: default_rng(seed), seed + 1, f(SEED, ...)
        r"[\"']seed[\"']",  # the parameter named in a check: check_size("seed", ...)
        r"\bseed must be a non-negative integer",  # the error that check raises
        # autodoc's parameter list on the API page; intersphinx's link title comes along
        r"\bseed \((?:\(in Python v[\d.]+\))?int\)",
        # the same list in the page's Markdown (PAGE.html.md, llms-full.txt)
        r"\*\*seed\*\* \(\[\*int\*\]",
    )
]
# Machinery, not text: theme and MathJax files, the search index.
SKIPPED_DIRS = {"_static", "_images"}


class _Text(HTMLParser):
    """The text a reader sees in an HTML page, and the alt/title/aria-label texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def notebook_text(raw: str) -> str:
    """A notebook's cell sources and text outputs, as a reader of the notebook sees them."""
    parts = []
    for cell in json.loads(raw)["cells"]:
        parts.append("".join(cell.get("source", "")))
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for kind, value in output.get("data", {}).items():
                if kind.startswith("text/") or kind == "image/svg+xml":
                    parts.append("".join(value))
    return "\n".join(parts)


def source_seeds(text: str) -> list[str]:
    """Each use of the word that is not a random seed, with some context around it."""
    allowed = [m.span() for p in RANDOM_SEED_USES for m in p.finditer(text)]
    found = []
    for match in SEED.finditer(text):
        start, end = match.span()
        numbered = SOURCE_NUMBER.match(text, start)
        if numbered or not any(a <= start and end <= b for a, b in allowed):
            found.append(text[max(0, start - 40) : end + 40].replace("\n", " "))
    # "seed_001" has no word boundary after "seed", so SEED misses it; SOURCE_NUMBER does not.
    for match in SOURCE_NUMBER.finditer(text):
        if not SEED.match(text, match.start()):
            start = match.start()
            found.append(text[max(0, start - 40) : match.end() + 40].replace("\n", " "))
    return found


def reader_texts(site: Path):
    """(path, text) for every reader-facing file of the site, the examples and the package."""
    for path in sorted(site.rglob("*")):
        if not path.is_file() or SKIPPED_DIRS & set(path.relative_to(site).parts):
            continue
        raw = path.read_text(encoding="utf-8", errors="replace") if path.suffix else ""
        if path.suffix == ".html":
            yield path, html_text(raw)
        elif path.suffix == ".ipynb":
            yield path, notebook_text(raw)
        elif path.suffix in (".txt", ".md", ".py"):
            yield path, raw
    for folder in ("examples", "src"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "Seed 001 fed 100 one-hot sequences",
        "the model seed 003 imports",
        "One correction to the seed: it described",
        "the seeds' other examples",
        'glue("seed_002_steps", 5)',
        "SEED_004_INPUT = np.array([0.1])",
        "the same weights (same seeds), not stateful",
        "seed=3 from seed 004",
    ],
)
def test_a_source_called_a_seed_is_found(text):
    assert source_seeds(text), text


@pytest.mark.parametrize(
    "text",
    [
        "keras.utils.set_random_seed(1)",
        "GlorotUniform(seed=1), Orthogonal(seed=seed + 1)",
        "def make_data(seed: int = SEED):\n    rng = np.random.default_rng(seed)",
        "SEED = 1",
        'check_size("seed", -1)\nValueError: seed must be a non-negative integer, got -1',
        "weights fixed by a random seed; the same random seeds",
        "torch.manual_seed(0); PYTHONHASHSEED=0",
        "seed (int) – the random seed",
    ],
)
def test_a_random_seed_is_allowed(text):
    assert source_seeds(text) == [], text


def test_html_text_keeps_alt_text_and_drops_scripts():
    text = html_text('<p>a <b>seed</b></p><img alt="seed 001"><script>seed</script>')
    assert text == "a seedseed 001"


def test_no_source_is_called_a_seed(built_site):
    found = {
        str(path.relative_to(ROOT)): hits
        for path, text in reader_texts(built_site)
        if (hits := source_seeds(text))
    }
    assert not found, "a source called a seed (name it by its title):\n" + json.dumps(
        found, indent=1
    )
