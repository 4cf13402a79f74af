"""Gallery thumbnails as 256-colour PNGs: the same picture at a fifth of the bytes.

The gallery's front page and every page with a ``minigallery`` load one thumbnail per example;
as full-colour PNGs they alone pushed those pages past the 300 KB first-load budget that
tests/test_browser.py checks. Line plots on a plain background use a few dozen colours, so a
256-colour palette shows no visible difference.

sphinx-gallery writes the thumbnails when the builder starts (``builder-inited``); this runs
right after, before any page is read, so the palette image is what the pages link and what
is copied into the site. A thumbnail already in palette mode is left as it is.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

PALETTE_COLOURS = 256


def quantize_thumbnails(app: Sphinx, env, docnames) -> None:
    from PIL import Image

    gallery_dirs = app.config.sphinx_gallery_conf["gallery_dirs"]
    for gallery_dir in [gallery_dirs] if isinstance(gallery_dirs, str) else gallery_dirs:
        for thumbnail in sorted((Path(app.srcdir) / gallery_dir).rglob("images/thumb/*.png")):
            with Image.open(thumbnail) as image:
                if image.mode == "P":
                    continue
                palette = image.convert("RGBA").quantize(
                    colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE
                )
            palette.save(thumbnail, optimize=True)
            logger.debug("palette thumbnail: %s", thumbnail)


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("env-before-read-docs", quantize_thumbnails)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
