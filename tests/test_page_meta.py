"""What a search engine and a loading browser read from every built page: a description written
for that page, and the size of every image before it arrives
(conf/fundamentals_site/page_meta.py)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
from fundamentals_site import page_meta

GENERATED_DIRS = {"_static", "_sources", "_images", "_downloads"}


def built_pages(parsed_pages: dict[Path, BeautifulSoup]) -> dict[Path, BeautifulSoup]:
    return {
        page: soup for page, soup in parsed_pages.items() if not GENERATED_DIRS & set(page.parts)
    }


def test_every_page_has_its_own_meta_description(parsed_pages):
    descriptions: dict[str, str] = {}
    missing = []
    for page, soup in built_pages(parsed_pages).items():
        metas = soup.find_all("meta", attrs={"name": "description"})
        name = str(page)
        if len(metas) != 1 or not metas[0].get("content", "").strip():
            missing.append(f"{name}: {len(metas)} description(s)")
            continue
        descriptions[name] = metas[0]["content"]
    assert missing == []
    too_long = {name: len(text) for name, text in descriptions.items() if len(text) > 160}
    assert too_long == {}
    shared: dict[str, list[str]] = {}
    for name, text in descriptions.items():
        shared.setdefault(text, []).append(name)
    assert [names for names in shared.values() if len(names) > 1] == []


def test_every_image_has_its_real_width_and_height(built_html, parsed_pages):
    from PIL import Image

    unsized = []
    images = 0
    for page, soup in built_pages(parsed_pages).items():
        for img in soup.find_all("img"):
            images += 1
            where = f"{page}: {img.get('src')}"
            if not (img.get("width") and img.get("height")):
                unsized.append(f"{where} has no width and height")
                continue
            with Image.open((built_html / page.parent / img["src"]).resolve()) as picture:
                if picture.size != (int(img["width"]), int(img["height"])):
                    unsized.append(f"{where} is {picture.size}, not {img['width']}x{img['height']}")
    assert images > 0
    assert unsized == []


def test_gallery_description_is_the_text_under_the_title():
    docstring = (
        "Tensor shapes drawn as grids\n============================\n\n"
        "The tensor ``(1, 2, 3)`` is **one** grid; see :doc:`/shapes` and\n"
        ":download:`shape_figures.py </auto_examples/shape_figures.py>`.\n\nMore text."
    )
    assert page_meta.first_paragraph(docstring) == (
        "The tensor (1, 2, 3) is one grid; see /shapes and shape_figures.py."
    )


def test_long_descriptions_end_at_a_sentence_or_a_word():
    sentence = "word " * 50
    assert page_meta.shorten("Short one. " + sentence) == "Short one."
    cut = page_meta.shorten(sentence.strip() + ".")
    assert len(cut) <= 160 and cut.endswith("word…")
