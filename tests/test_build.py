"""The site builds strictly, and every page and gallery example is in it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.relative_to(ROOT / "docs").with_suffix("") for p in (ROOT / "docs").glob("*.md"))
EXAMPLES = sorted(
    p.relative_to(ROOT / "examples").with_suffix("") for p in (ROOT / "examples").rglob("plot_*.py")
)


def test_build_succeeds_without_warnings(site):
    assert site.returncode == 0, site.output
    warnings = [line for line in site.output.splitlines() if re.search(r"WARNING|ERROR", line)]
    assert warnings == []


def test_there_is_something_to_check():
    assert PAGES and EXAMPLES


def test_every_page_is_rendered(site):
    missing = [str(page) for page in PAGES if not (site.html_dir / f"{page}.html").is_file()]
    assert missing == []


def test_every_gallery_example_is_executed_and_rendered(parsed_pages):
    for example in EXAMPLES:
        page = parsed_pages.get(Path("auto_examples", f"{example}.html"))
        assert page is not None, f"{example} was not rendered"
        # sphinx-gallery marks what the script printed with this class.
        assert page.select(".sphx-glr-script-out"), f"{example} shows no executed output"
