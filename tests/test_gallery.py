"""The gallery as built: figures with alt text, downloads, links both ways, summaries once."""

from __future__ import annotations

import glob
import json
import re
from pathlib import Path

import pytest
import torch
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"
from fundamentals_site import (
    api_docs,
    docs_device,
    gallery_record,
    gallery_resets,
    standalone_downloads,
)

EXAMPLES = sorted(EXAMPLES_DIR.rglob("plot_*.py"))
TOPICS = sorted(p.parent.name for p in EXAMPLES_DIR.glob("*/GALLERY_HEADER.rst"))


def example_page(parsed_pages: dict[Path, BeautifulSoup], example: Path) -> BeautifulSoup:
    return parsed_pages[
        Path("auto_examples") / example.relative_to(EXAMPLES_DIR).with_suffix(".html")
    ]


def hrefs(page: BeautifulSoup) -> list[str]:
    return [link["href"] for link in page.find_all("a", href=True)]


def example_id(example: Path) -> str:
    return str(example.relative_to(EXAMPLES_DIR))


def test_every_topic_has_an_example():
    assert TOPICS == [
        "broadcasting",
        "indexing",
        "matmul",
        "norms",
        "reductions",
        "reshaping",
        "saving",
        "tensors",
        "torchinfo",
    ]
    assert {p.parent.name for p in EXAMPLES} == set(TOPICS)


def test_every_image_has_a_meaningful_alt_text(parsed_pages):
    checked = 0
    for page, soup in parsed_pages.items():
        for img in soup.find_all("img"):
            alt = img.get("alt", "")
            assert alt.strip(), f"{page}: {img} has no alt text"
            # sphinx-gallery falls back to the image's file name when a figure has no title.
            assert not re.fullmatch(r"plot [\w ]+ \d*", alt), f"{page}: {img}"
            checked += 1
    assert checked


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_every_figure_drawn_is_shown_with_its_description(parsed_pages, example):
    source = example.read_text(encoding="utf-8")
    drawn = len(re.findall(r"^\s*fig = draw_\w+\(", source, flags=re.M))
    images = example_page(parsed_pages, example).find_all("img")
    assert drawn >= 1
    assert len(images) == drawn
    for img in images:
        assert len(img["alt"]) > 20


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_every_example_offers_its_py_and_ipynb(parsed_pages, site, example):
    links_on_page = hrefs(example_page(parsed_pages, example))
    for suffix in (".py", ".ipynb"):
        download = re.compile(rf"\.\./\.\./_downloads/[0-9a-f]+/{example.stem}{suffix}")
        links = [href for href in links_on_page if download.fullmatch(href)]
        assert links, f"no {suffix} download for {example.name}"
        target = (site.html_dir / "auto_examples" / example.parent.name / links[0]).resolve()
        assert target.is_file()
    downloaded = next(site.html_dir.glob(f"_downloads/*/{example.name}"))
    # the example as written, with the figure module's code in place of its import
    # (conf/fundamentals_site/standalone_downloads.py; tests/test_notebooks.py runs it alone)
    module = (EXAMPLES_DIR / "shape_figures.py").read_text(encoding="utf-8")
    assert downloaded.read_text(encoding="utf-8") == standalone_downloads.standalone_source(
        example.read_text(encoding="utf-8"), module, str(example)
    )


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_no_example_prints_a_warning(parsed_pages, example):
    # pytest's filterwarnings=error covers the pages; a warning in an example lands in its output.
    assert not re.search(r"\w+Warning\b", example_page(parsed_pages, example).get_text())


def test_the_figure_module_is_offered_for_download(parsed_pages, site):
    (downloaded,) = site.html_dir.glob("_downloads/*/shape_figures.py")
    assert downloaded.read_bytes() == (EXAMPLES_DIR / "shape_figures.py").read_bytes()
    gallery_index = parsed_pages[Path("auto_examples", "index.html")]
    assert any(href.endswith("/shape_figures.py") for href in hrefs(gallery_index))


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_every_example_links_back_to_its_topic_page(parsed_pages, site, example):
    docstring = example.read_text(encoding="utf-8").split('"""')[1]
    pages = re.findall(r":doc:`/(\w+)`", docstring)
    assert pages, f"{example.name} names no topic page"
    links = hrefs(example_page(parsed_pages, example))
    for name in pages:
        assert f"../../{name}.html" in links
        assert (site.html_dir / f"{name}.html").is_file()


@pytest.mark.parametrize("example", EXAMPLES, ids=example_id)
def test_example_code_links_to_the_torch_reference(parsed_pages, example):
    # Resolved from conf/inventories/torch.inv: the build fetches no inventory. The reference
    # is the verified release's (conf/fundamentals_site/api_docs.py).
    links = [
        href
        for href in hrefs(example_page(parsed_pages, example))
        if href.startswith(api_docs.TORCH_DOCS_URL)
    ]
    assert links, f"{example.name}: no name in its code links to the PyTorch reference"


def topic_pages() -> list[Path]:
    """Pages named after a topic folder, and any page that embeds a minigallery."""
    pages = {ROOT / "docs" / f"{topic}.md" for topic in TOPICS}
    pages |= {p for p in (ROOT / "docs").glob("*.md") if "minigallery::" in p.read_text()}
    return sorted(p for p in pages if p.is_file())


@pytest.mark.parametrize("page", topic_pages(), ids=lambda p: p.name)
def test_every_topic_page_shows_its_examples(parsed_pages, page):
    patterns = re.findall(r"minigallery::\s+(\S+)", page.read_text(encoding="utf-8"))
    assert patterns, f"{page.name} has no minigallery"
    rendered = parsed_pages[Path(f"{page.stem}.html")]
    assert rendered.select("div.sphx-glr-thumbcontainer")
    links = hrefs(rendered)
    for pattern in patterns:
        named = sorted(glob.glob(str(ROOT / "docs" / pattern)))
        assert named, f"{page.name}: {pattern} names no example"
        for example in map(Path, named):
            target = f"auto_examples/{example.parent.name}/{example.stem}.html"
            assert target in links, f"{page.name} shows no thumbnail of {target}"


@pytest.mark.parametrize("example", sorted((EXAMPLES_DIR / "torchinfo").glob("plot_*.py")))
def test_each_torchinfo_summary_is_printed_once(parsed_pages, example):
    calls = len(re.findall(r"= summary\(", example.read_text(encoding="utf-8")))
    assert calls >= 1
    assert example_page(parsed_pages, example).get_text().count("Total params") == calls


def test_the_gallery_seeds_every_generator_before_an_example():
    gallery_resets.reseed({}, None)
    first = torch.rand(3)
    torch.rand(100)
    gallery_resets.reseed({}, None)
    assert torch.equal(torch.rand(3), first)


def test_examples_run_again_when_torch_device_or_figure_module_changed(tmp_path):
    examples, srcdir = tmp_path / "examples", tmp_path / "docs"
    (examples / "topic").mkdir(parents=True)
    (examples / "topic" / "plot_a.py").write_text("A = 1\n")
    module = examples / gallery_record.FIGURE_MODULE_NAME
    module.write_text("VERSION = 1\n")
    gallery_conf = {
        "examples_dirs": str(examples),
        "gallery_dirs": "auto_examples",
        "src_dir": str(srcdir),
    }
    record = gallery_record.record_file(srcdir, gallery_conf)

    def recorded_with(**changes) -> None:
        entry = {**gallery_record.what_runs_now(examples), **changes}
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"plot_a.py": entry}))

    assert not gallery_record.examples_are_stale(srcdir, gallery_conf)  # no record yet
    gallery_record.record_example_run(gallery_conf, "plot_a.py", cuda_allocations=0)
    assert not gallery_record.examples_are_stale(srcdir, gallery_conf)  # as recorded
    module.write_text("VERSION = 2\n")
    assert gallery_record.examples_are_stale(srcdir, gallery_conf)
    recorded_with(torch="0.0.1")
    assert gallery_record.examples_are_stale(srcdir, gallery_conf)
    other = next(device for device in docs_device.DEVICES if device != docs_device.requested())
    recorded_with(device=other)
    assert gallery_record.examples_are_stale(srcdir, gallery_conf)
    recorded_with()
    assert not gallery_record.examples_are_stale(srcdir, gallery_conf)
    # A record of an example that no longer exists does not count.
    record.write_text(json.dumps({"plot_gone.py": {"torch": "0.0.1"}}))
    assert not gallery_record.examples_are_stale(srcdir, gallery_conf)
