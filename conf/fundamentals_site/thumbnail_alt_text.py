"""Alt text for sphinx-gallery's thumbnails.

sphinx-gallery writes its thumbnails (the gallery's index, each ``minigallery``) with an empty
alt; each gets one naming the example it shows, so that no image on the site is without a text
alternative.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


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
    app.add_post_transform(ThumbnailAltText)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
