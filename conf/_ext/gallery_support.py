"""What the gallery needs beyond sphinx-gallery's own options.

- ``reset_seeds``: named in ``sphinx_gallery_conf["reset_modules"]`` (by its dotted name, so the
  configuration stays picklable), it seeds torch, NumPy and ``random`` to 0 before each example,
  so an example's random numbers do not depend on the examples that ran before it.
- As a Sphinx extension: sphinx-gallery skips an example whose source is unchanged (its md5
  cache), but every figure example imports ``examples/shape_figures.py``. When that module
  changes, the cached results are forgotten so each example runs again and no figure is stale.
- sphinx-gallery writes its thumbnails (gallery index, ``minigallery``) with an empty alt; each
  gets one naming the example it shows, so no image on the site is without a text alternative.
"""

from __future__ import annotations

import gc
import hashlib
import random
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

SEED = 0


def seed_everything() -> None:
    """Seed every random number generator a page or an example may use (conftest.py too)."""
    import numpy as np
    import torch

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)


def reset_seeds(gallery_conf: dict[str, Any], fname: str | None) -> None:
    """Before (and after) each example: the seeds, as every page gets them."""
    seed_everything()
    _freeze_imported_objects()


_imports_frozen = False


def _freeze_imported_objects() -> None:
    """Once torch is imported into the build process, exempt its objects from the cyclic GC.

    torch and NumPy leave hundreds of thousands of long-lived objects behind, and every full
    collection that Sphinx's many small doctree objects trigger afterwards scans them all again:
    1.5 to 3 s of a 13 s clean build (`nox -s bench`). Frozen once, before the first example, so
    that the examples' own garbage is still collected.
    """
    global _imports_frozen
    if not _imports_frozen:
        gc.freeze()
        _imports_frozen = True


def forget_results_built_with_another_figure_module(app: Sphinx) -> None:
    """Delete the examples' md5 stamps if they ran with another version of the figure module."""
    gallery_conf = app.config.sphinx_gallery_conf
    module = Path(gallery_conf["examples_dirs"]) / "shape_figures.py"
    gallery_dir = Path(app.srcdir) / gallery_conf["gallery_dirs"]
    stamp = gallery_dir / "shape_figures.py.built-with.md5"
    digest = hashlib.md5(module.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == digest:
        return
    stale = list(gallery_dir.rglob("plot_*.py.md5"))
    for md5_file in stale:
        md5_file.unlink()
    if stale:
        logger.info(f"{module.name} changed: running every gallery example again")
    gallery_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


class ThumbnailAltText(SphinxPostTransform):
    """Give each gallery thumbnail the title of its example as alt text."""

    # After the references are resolved (priority 10), when each thumbnail's :doc: link, the
    # node right after the image, reads as its example's title.
    default_priority = 50
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for image in self.document.findall(nodes.image):
            if image.get("alt") or "_thumb." not in image["uri"]:
                continue
            siblings = image.parent.children[image.parent.index(image) + 1 :]
            title = next((node.astext() for node in siblings if node.astext().strip()), "")
            image["alt"] = f"Thumbnail of the example: {title}" if title else "Example thumbnail"


def setup(app: Sphinx) -> dict[str, Any]:
    # Before sphinx-gallery's own builder-inited handler (default priority 500) reads the stamps.
    app.connect("builder-inited", forget_results_built_with_another_figure_module, priority=400)
    app.add_post_transform(ThumbnailAltText)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
