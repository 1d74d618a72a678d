"""site_tools.site_outputs: what two builds' pages show, compared; every source rendered."""

from __future__ import annotations

from pathlib import Path

from site_tools import site_outputs

PAGE = """<html><body><h1>T</h1>
<p>Prose is not an output: {prose}</p>
<div class="cell docutils container"><div class="cell_output docutils container">
<div class="output stream highlight-myst-ansi notranslate"><pre>{printed}</pre></div>
<img alt="A figure" src="../_images/{image}.svg" />
</div></div>
<p>Glued: <span class="pasted-text">{glued}</span></p>
</body></html>"""


def _site(tmp_path: Path, name: str, *, printed="1728", glued="0.97", svg="<svg/>", prose="a"):
    site = tmp_path / name
    (site / "learn").mkdir(parents=True)
    (site / "_images").mkdir()
    (site / "_images" / f"{name}.svg").write_text(svg)
    page = PAGE.format(printed=printed, glued=glued, image=name, prose=prose)
    (site / "learn" / "01-page.html").write_text(page)
    (site / "_static").mkdir()
    (site / "_static" / "not-a-page.html").write_text("<html></html>")
    return site


def test_outputs_are_cells_glued_values_and_images_by_content(tmp_path):
    site = _site(tmp_path, "a")
    assert site_outputs.pages(site) == ["learn/01-page.html"]
    cell, glued = site_outputs.outputs(site / "learn" / "01-page.html")
    assert cell.startswith("1728 [img sha256=")
    assert cell.endswith("alt='A figure']")
    assert glued == "0.97"


def test_identical_builds_compare_equal_whatever_the_file_names_and_timings(tmp_path):
    first = _site(tmp_path, "a", printed="epoch 1 - 12ms/step - loss 0.5", prose="x")
    second = _site(tmp_path, "b", printed="epoch 1 - 15ms/step - loss 0.5", prose="y")
    pages, outputs, problems = site_outputs.compare(first, second)
    assert (pages, outputs, problems) == (1, 2, [])


def test_a_different_value_figure_or_page_is_reported(tmp_path):
    base = _site(tmp_path, "a")
    for name, kwargs in {"value": {"glued": "0.96"}, "figure": {"svg": "<svg id='x'/>"}}.items():
        problems = site_outputs.compare(base, _site(tmp_path, name, **kwargs))[2]
        assert len(problems) == 1, (name, problems)
        assert problems[0].startswith("learn/01-page.html: outputs differ")
    extra = _site(tmp_path, "extra")
    (extra / "learn" / "02-more.html").write_text("<h1>More</h1>")
    assert site_outputs.compare(base, extra)[2] == [f"learn/02-more.html: only in {extra}"]


def test_every_source_page_must_be_rendered_with_a_title(tmp_path):
    docs = tmp_path / "docs"
    (docs / "learn").mkdir(parents=True)
    (docs / "_build").mkdir()
    (docs / "learn" / "01-page.md").write_text("# Page")
    (docs / "learn" / "02-missing.md").write_text("# Missing")
    (docs / "_build" / "ignored.md").write_text("# Not a source")
    site = _site(tmp_path, "a")
    assert site_outputs.rendered(docs, site) == ["learn/02-missing.html: not rendered"]
    (site / "learn" / "02-missing.html").write_text("<p>no title</p>")
    assert site_outputs.rendered(docs, site) == [
        "learn/02-missing.html: rendered without a title (h1)"
    ]
    assert site_outputs.main(["rendered", str(docs), str(site)]) == 1
