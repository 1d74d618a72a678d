"""Re-execute the pages whose code changed outside the page.

The execution cache keys a page on its own cells only. A page also runs the package (src/)
and may run a script from examples/; when one of those changes, the page's cached outputs
are stale. Each build stamps them before it reads a page: a changed package re-executes every page, a changed
example the pages that name it (and a changed version claim or record, the pages that name it;
the record read is the one the build reads, a copy where ``LSTM_OUTPUTS_KERAS_VERSIONS``
names one).

The stamps describe one execution cache, so they are kept inside it, and the cache is the
one this build uses (MyST-NB's resolved ``nb_execution_cache_path``): a build with its own
cache (``-D nb_execution_cache_path=...``, as the offline and determinism sessions run)
neither reads nor moves the stamps of the site's cache.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from version_claims.matrix import RECORD, ROOT, record_path

STAMPS = "lstm-site-stamps.json"
#: The record as the pages that read it name it: docs/_data/keras_versions.json.
RECORD_NAME = RECORD.relative_to(ROOT).as_posix()


def _digest(root: Path, paths) -> str:
    sha = hashlib.sha256()
    for path in sorted(paths):
        sha.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def stamps(root: Path) -> dict[str, str]:
    """A digest of the package, and one of each example, under the repository ``root``.

    >>> stamps(Path("/no/such/repository"))["src"] == hashlib.sha256().hexdigest()
    True
    """
    found = {"src": _digest(root, (root / "src").rglob("*.py"))}
    for example in sorted((root / "examples").glob("*.py")):
        found[f"examples/{example.name}"] = _digest(root, [example])
    # The Keras versions page runs the claims and compares their results with the record:
    # the one the build reads (LSTM_OUTPUTS_KERAS_VERSIONS may name a copy), under the name
    # the pages give it.
    claims = root / "tools" / "version_claims" / "claims.py"
    found["tools/version_claims/claims.py"] = _digest(root, [p for p in [claims] if p.is_file()])
    record = record_path(default=root / RECORD_NAME)
    sha = hashlib.sha256()
    if record.is_file():
        # As _digest names a file: a copy of the committed record stamps as the record does.
        sha.update(RECORD_NAME.encode() + b"\0" + record.read_bytes())
    found[RECORD_NAME] = sha.hexdigest()
    return found


def stale(old: dict[str, str], new: dict[str, str]) -> set[str]:
    """The stamps that changed, appeared or disappeared.

    >>> sorted(stale({"src": "a", "examples/x.py": "b"}, {"src": "a", "examples/y.py": "c"}))
    ['examples/x.py', 'examples/y.py']
    """
    return {key for key in new.keys() | old.keys() if old.get(key) != new.get(key)}


def recorded_page(uri: str, pages: set[str]) -> bool:
    """Whether a cache record's notebook is one of ``pages`` (paths from the repository's
    root), in this checkout or in the one the cache was copied from (its records keep the
    absolute paths of the checkout that executed them).

    >>> recorded_page("/work/main/docs/howto/x.md", {"docs/howto/x.md"})
    True
    >>> recorded_page("/work/main/docs/howto/y.md", {"docs/howto/x.md"})
    False
    """
    return any(Path(uri).as_posix().endswith("/" + page) for page in pages)


def _cache_path(env) -> Path | None:
    config = getattr(env, "mystnb_config", None)
    if config is None or config.execution_mode != "cache":
        return None
    return Path(config.execution_cache_path)


def _root(app) -> Path:
    return Path(app.srcdir).resolve().parent


def outdated_by_code(app, env, added, changed, removed) -> list[str]:
    """Drop the stale pages' cache records and have Sphinx re-read them."""
    cache_path = _cache_path(env)
    if cache_path is None:
        return []
    file = cache_path / STAMPS
    new_stamps = stamps(_root(app))
    changed_stamps = stale(json.loads(file.read_text()) if file.is_file() else {}, new_stamps)
    if not changed_stamps:
        return []
    if "src" in changed_stamps:
        docs = set(env.found_docs)
    else:
        docs = {
            doc
            for doc in env.found_docs
            if any(k in Path(env.doc2path(doc)).read_text(encoding="utf-8") for k in changed_stamps)
        }
    root = _root(app)
    pages = {Path(env.doc2path(doc)).resolve().relative_to(root).as_posix() for doc in docs}
    if cache_path.is_dir():
        from jupyter_cache import get_cache

        cache = get_cache(cache_path)
        for record in cache.list_cache_records():
            if recorded_page(record.uri, pages):
                cache.remove_cache(record.pk)
        # Closed before the parallel readers fork (see parallel_pages).
        cache.db.dispose()
    # From here on the cache holds only outputs of the code as it is now, so the stamps are
    # saved at once: a build that fails later keeps the pages it did execute.
    cache_path.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(new_stamps, indent=1))
    return sorted(docs - added)
