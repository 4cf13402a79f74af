"""Leave out of every page the stylesheets and scripts that extensions add but no page uses.

Extensions add their assets to every page (``app.add_css_file``/``add_js_file`` have no
per-page form for an extension's own assets), and every page of this site must load within
300 KB (tests/test_browser.py). ``html-page-context`` removes these from every page, the pattern
given in sphinx-doc/sphinx#8302 and executablebooks/meta#119 for assets a page does not need:

- sphinx-design's stylesheet (55 KB, all its components) and its tabs script: the site uses
  only the dropdown that folds exercise solutions, a ``<details>`` element that opens without a
  script; conf/_static/site.css styles it in a few lines.
- sphinx-gallery's tags script and its binder, dataframe and rendered-HTML stylesheets: no
  example has tags, a Binder badge, a pandas table or an HTML repr.

tests/test_unused_assets.py checks that no built page references one of these, and that each
name still matches a file its extension writes, so that a renamed asset shows up as a failure
instead of silently coming back.
"""

from __future__ import annotations

UNUSED_ASSETS = (
    "sphinx-design.min.css",
    "design-tabs.js",
    "sg-tags.js",
    "sg_gallery-binder.css",
    "sg_gallery-dataframe.css",
    "sg_gallery-rendered-html.css",
)


def is_unused(asset) -> bool:
    """Whether ``asset`` (a Sphinx asset object or a path) is one of UNUSED_ASSETS."""
    return str(getattr(asset, "filename", asset)).split("?")[0].endswith(UNUSED_ASSETS)


def _drop_unused_assets(app, pagename, templatename, context, doctree):
    for key in ("css_files", "script_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if not is_unused(asset)]


def setup(app):
    app.connect("html-page-context", _drop_unused_assets, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
