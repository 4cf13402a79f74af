"""conf/fundamentals_site/unused_assets.py: assets no page uses stay off every page."""

from __future__ import annotations

from fundamentals_site.unused_assets import UNUSED_ASSETS, is_unused


def test_no_page_loads_an_unused_asset(parsed_pages):
    loaded = []
    for page, soup in parsed_pages.items():
        links = [tag.get("href", "") for tag in soup.find_all("link")]
        scripts = [tag.get("src", "") for tag in soup.find_all("script")]
        loaded += [f"{page.name}: {url}" for url in links + scripts if url and is_unused(url)]
    assert not loaded, loaded


def test_every_unused_asset_is_still_written_by_its_extension(built_html):
    """Each name still matches a file the extensions write into _static: were one renamed
    upstream, it would come back on every page unnoticed."""
    written = {path.name for path in (built_html / "_static").rglob("*") if path.is_file()}
    assert set(UNUSED_ASSETS) <= written, set(UNUSED_ASSETS) - written
