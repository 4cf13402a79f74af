"""The gallery as built: figures with alt text, downloads, links both ways, summaries once."""

from __future__ import annotations

import glob
import html
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
sys.path.insert(0, str(ROOT / "conf" / "_ext"))
import gallery_support
import standalone_downloads

EXAMPLES = sorted(EXAMPLES_DIR.rglob("plot_*.py"))
TOPICS = sorted(p.parent.name for p in EXAMPLES_DIR.glob("*/GALLERY_HEADER.rst"))
IMG = re.compile(r"<img\b[^>]*>")
ALT = re.compile(r'\balt="([^"]*)"')


def example_html(site, example: Path) -> str:
    relative = example.relative_to(EXAMPLES_DIR).with_suffix(".html")
    return (site.html_dir / "auto_examples" / relative).read_text(encoding="utf-8")


def example_id(example: Path) -> str:
    return str(example.relative_to(EXAMPLES_DIR))


def test_every_topic_has_an_example():
    assert TOPICS == ["matmul", "norms", "reshaping", "saving", "tensors", "torchinfo"]
    assert {p.parent.name for p in EXAMPLES} == set(TOPICS)


def test_every_image_has_a_meaningful_alt_text(site):
    checked = 0
    for page in site.html_dir.rglob("*.html"):
        for img in IMG.findall(page.read_text(encoding="utf-8")):
            alt = ALT.search(img)
            assert alt and alt.group(1).strip(), f"{page}: {img} has no alt text"
            # sphinx-gallery falls back to the image's file name when a figure has no title.
            assert not re.fullmatch(r"plot [\w ]+ \d*", alt.group(1)), f"{page}: {img}"
            checked += 1
    assert checked


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_every_figure_drawn_is_shown_with_its_description(site, example):
    source = example.read_text(encoding="utf-8")
    drawn = len(re.findall(r"^\s*fig = draw_\w+\(", source, flags=re.M))
    images = IMG.findall(example_html(site, example))
    assert drawn >= 1
    assert len(images) == drawn
    for img in images:
        assert len(html.unescape(ALT.search(img).group(1))) > 20


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_every_example_offers_its_py_and_ipynb(site, example):
    page = example_html(site, example)
    for suffix in (".py", ".ipynb"):
        links = re.findall(rf'href="(\.\./\.\./_downloads/[0-9a-f]+/{example.stem}{suffix})"', page)
        assert links, f"no {suffix} download for {example.name}"
        target = (site.html_dir / "auto_examples" / example.parent.name / links[0]).resolve()
        assert target.is_file()
    downloaded = next(site.html_dir.glob(f"_downloads/*/{example.name}"))
    # the example as written, with the figure module's code in place of its import
    # (conf/_ext/standalone_downloads.py; tests/test_notebooks.py runs it alone)
    module = (EXAMPLES_DIR / "shape_figures.py").read_text(encoding="utf-8")
    assert downloaded.read_text(encoding="utf-8") == standalone_downloads.standalone_source(
        example.read_text(encoding="utf-8"), module, str(example)
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_no_example_prints_a_warning(site, example):
    # pytest's filterwarnings=error covers the pages; a warning in an example lands in its output.
    assert not re.search(r"\w+Warning\b", example_html(site, example))


def test_the_figure_module_is_offered_for_download(site):
    (downloaded,) = site.html_dir.glob("_downloads/*/shape_figures.py")
    assert downloaded.read_bytes() == (EXAMPLES_DIR / "shape_figures.py").read_bytes()
    assert "shape_figures.py" in (site.html_dir / "auto_examples" / "index.html").read_text()


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_every_example_links_back_to_its_topic_page(site, example):
    docstring = example.read_text(encoding="utf-8").split('"""')[1]
    pages = re.findall(r":doc:`/(\w+)`", docstring)
    assert pages, f"{example.name} names no topic page"
    page = example_html(site, example)
    for name in pages:
        assert f'href="../../{name}.html"' in page
        assert (site.html_dir / f"{name}.html").is_file()


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_example_code_links_to_the_torch_reference(site, example):
    # Resolved from conf/inventories/torch.inv: the build fetches no inventory.
    links = re.findall(
        r'href="https://docs\.pytorch\.org/docs/stable/[^"]+"', example_html(site, example)
    )
    assert links, f"{example.name}: no name in its code links to the PyTorch reference"


def topic_pages() -> list[Path]:
    """Pages named after a topic folder, and any page that embeds a minigallery."""
    pages = {ROOT / "docs" / f"{topic}.md" for topic in TOPICS}
    pages |= {p for p in (ROOT / "docs").glob("*.md") if "minigallery::" in p.read_text()}
    return sorted(p for p in pages if p.is_file())


@pytest.mark.parametrize("page", topic_pages(), ids=lambda p: p.name)
def test_every_topic_page_shows_its_examples(site, page):
    patterns = re.findall(r"minigallery::\s+(\S+)", page.read_text(encoding="utf-8"))
    assert patterns, f"{page.name} has no minigallery"
    rendered = (site.html_dir / f"{page.stem}.html").read_text(encoding="utf-8")
    assert "sphx-glr-thumbcontainer" in rendered
    for pattern in patterns:
        named = sorted(glob.glob(str(ROOT / "docs" / pattern)))
        assert named, f"{page.name}: {pattern} names no example"
        for example in map(Path, named):
            target = f"auto_examples/{example.parent.name}/{example.stem}.html"
            assert f'href="{target}"' in rendered, f"{page.name} shows no thumbnail of {target}"


@pytest.mark.parametrize("example", sorted((EXAMPLES_DIR / "torchinfo").glob("plot_*.py")))
def test_each_torchinfo_summary_is_printed_once(site, example):
    calls = len(re.findall(r"= summary\(", example.read_text(encoding="utf-8")))
    assert calls >= 1
    assert example_html(site, example).count("Total params") == calls


def test_the_gallery_seeds_every_generator_before_an_example():
    gallery_support.reset_seeds({}, None)
    first = torch.rand(3)
    torch.rand(100)
    gallery_support.reset_seeds({}, None)
    assert torch.equal(torch.rand(3), first)


def test_changing_the_figure_module_makes_every_example_run_again(tmp_path):
    examples, srcdir = tmp_path / "examples", tmp_path / "docs"
    gallery = srcdir / "auto_examples" / "topic"
    examples.mkdir()
    gallery.mkdir(parents=True)
    module = examples / "shape_figures.py"
    module.write_text("VERSION = 1\n")
    app = SimpleNamespace(
        srcdir=srcdir,
        config=SimpleNamespace(
            sphinx_gallery_conf={"examples_dirs": str(examples), "gallery_dirs": "auto_examples"}
        ),
    )
    stamp = gallery / "plot_a.py.md5"

    def build() -> bool:
        """Whether an example's md5 stamp survives the check a build starts with."""
        stamp.write_text("cached")
        gallery_support.forget_results_built_with_another_figure_module(app)
        return stamp.exists()

    assert not build()  # first build: no record of the module it ran with
    assert build()  # nothing changed: the cache stands
    module.write_text("VERSION = 2\n")
    assert not build()
    assert build()
