"""The site's one sphinx-build command line, for nox, the tests and the bench.

``python -m site_tools.sphinx_build`` builds docs/ into docs/_build/html (cached: only pages
whose code changed execute); ``--clean`` starts from scratch; ``--into DIR`` makes a build
of its own, its HTML, doctrees and execution cache all inside DIR; ``--serve`` rebuilds on
every change with sphinx-autobuild, with the same options. Other arguments go to Sphinx.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

#: sphinx-build's options for every build of the site: warnings are errors (``-W``), all of
#: them reported at once (``--keep-going``), every cross-reference must resolve (``-n``), a
#: failing cell's full traceback printed (``-T``: a parallel reader's own log is lost when
#: it fails), pages read (so executed) two at a time (``-j auto`` on the 2-core machines).
OPTIONS = ("-W", "--keep-going", "-n", "-T", "-j", "auto", "-b", "html")

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
#: The site's own build: its HTML, and its doctrees outside the HTML, so
#: ``environment.pickle`` (which holds absolute build paths) is never published.
BUILD = DOCS / "_build"
HTML = BUILD / "html"
DOCTREES = BUILD / "doctrees"

#: What ``--serve`` watches besides docs/: the pages run the package and the examples.
WATCHED = ("src", "examples")


def command(
    docs: Path = DOCS,
    html: Path = HTML,
    *,
    doctrees: Path | None = DOCTREES,
    cache: Path | None = None,
    options: tuple[str, ...] = OPTIONS,
) -> list[str]:
    """The sphinx-build command that builds ``docs`` into ``html``.

    ``doctrees`` None keeps them in ``html/.doctrees`` (Sphinx's default); ``cache`` replaces
    the execution cache that conf.py names.

    >>> command(Path("d"), Path("h"), doctrees=None)[3:]
    ['-W', '--keep-going', '-n', '-T', '-j', 'auto', '-b', 'html', 'd', 'h']
    >>> command(Path("d"), Path("h"), doctrees=Path("t"), cache=Path("c"))[-6:]
    ['-d', 't', '-D', 'nb_execution_cache_path=c', 'd', 'h']
    """
    line = [sys.executable, "-m", "sphinx", *options]
    if doctrees is not None:
        line += ["-d", str(doctrees)]
    if cache is not None:
        line += ["-D", f"nb_execution_cache_path={cache}"]
    return [*line, str(docs), str(html)]


def into(folder: Path, docs: Path = DOCS) -> list[str]:
    """A build of its own: HTML, doctrees and execution cache all inside ``folder``.

    >>> into(Path("/x"))[-6:-2]
    ['-d', '/x/doctrees', '-D', 'nb_execution_cache_path=/x/jupyter_cache']
    """
    return command(
        docs, folder / "html", doctrees=folder / "doctrees", cache=folder / "jupyter_cache"
    )


def serve(extra: list[str]) -> list[str]:
    """sphinx-autobuild with the build's options, watching the package and the examples.

    >>> line = serve(["--port", "9000"])
    >>> line[3:5], "-W" in line, line[-2:]
    (['-W', '--keep-going'], True, ['--port', '9000'])
    """
    line = [sys.executable, "-m", "sphinx_autobuild", *OPTIONS, "-d", str(DOCTREES)]
    line += [str(DOCS), str(HTML), "--ignore", str(BUILD)]
    for folder in WATCHED:
        line += ["--watch", str(ROOT / folder)]
    return [*line, "--port", "8000", *extra]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--clean", action="store_true", help="remove docs/_build first")
    choice.add_argument("--into", type=Path, metavar="DIR", help="a build of its own in DIR")
    choice.add_argument("--serve", action="store_true", help="rebuild on every change")
    args, extra = parser.parse_known_args(argv)
    if args.serve:
        # One warm parent of the page kernels serves every rebuild.
        os.environ["LSTM_SITE_WARM_KERNELS"] = "shared"
        line = serve(extra)
    elif args.into:
        line = into(args.into.resolve()) + extra
    else:
        if args.clean:
            shutil.rmtree(BUILD, ignore_errors=True)
        line = command() + extra
    os.execv(line[0], line)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
