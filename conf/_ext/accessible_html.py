"""HTML that axe-core accepts: markup fixes the theme and Sphinx leave to the project.

Sphinx writes a toctree's caption as ``<p class="caption" role="heading">`` with no
``aria-level``, which axe-core reports as a critical violation (a heading role needs a level)
on every page, because furo's sidebar repeats the landing page's toctree. The caption titles a
list of pages under the page's own title, so it is a level-2 heading.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

TOCTREE_CAPTION_LEVEL = 2


class AccessibleHTML5Translator(HTML5Translator):
    def visit_title(self, node: nodes.title) -> None:
        super().visit_title(node)
        parent = node.parent
        if isinstance(parent, addnodes.compact_paragraph) and parent.get("toctree"):
            opening = len(self.body) - 2  # the <p ...> tag, before '<span class="caption-text">'
            self.body[opening] = self.body[opening].replace(
                'role="heading"', f'role="heading" aria-level="{TOCTREE_CAPTION_LEVEL}"', 1
            )


def setup(app: Sphinx) -> dict[str, object]:
    for builder in ("html", "dirhtml"):
        app.set_translator(builder, AccessibleHTML5Translator, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
