"""HTML that axe-core accepts: markup fixes the theme and Sphinx leave to the project.

Sphinx writes a toctree's caption as ``<p class="caption" role="heading">`` with no
``aria-level``, which axe-core reports as a critical violation (a heading role needs a level)
on every page, because furo's sidebar repeats the landing page's toctree. This is Sphinx's open
bug sphinx-doc/sphinx#14030 (https://github.com/sphinx-doc/sphinx/issues/14030; the fix
proposed there, sphinx-doc/sphinx#14437, writes the same level). As pydata-sphinx-theme does
(pydata/pydata-sphinx-theme#456), every start tag with a heading role and no level gets level 2,
the level ARIA 1.1 gave such a heading implicitly: the caption titles a list of pages under the
page's own title. tests/test_accessible_html.py fails once Sphinx writes the level itself.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

IMPLICIT_HEADING_LEVEL = 2


class AccessibleHTML5Translator(HTML5Translator):
    def starttag(self, node, tagname, suffix="\n", empty=False, **attributes):
        # docutils reads attribute names case-insensitively (Sphinx passes ROLE=...).
        names = {name.lower() for name in attributes}
        if "aria-level" not in names and any(
            name.lower() == "role" and value == "heading" for name, value in attributes.items()
        ):
            attributes["aria-level"] = IMPLICIT_HEADING_LEVEL
        return super().starttag(node, tagname, suffix, empty, **attributes)


def setup(app: Sphinx) -> dict[str, object]:
    for builder in ("html", "dirhtml"):
        app.set_translator(builder, AccessibleHTML5Translator, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
