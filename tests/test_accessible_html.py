"""conf/fundamentals_site/accessible_html.py: a toctree caption is a heading with a level.

Built with Sphinx's own test application (tests/conftest.py: ``build_small_project``), read with
an HTML parser.
"""

from __future__ import annotations

INDEX = """\
Title
=====

.. toctree::
   :caption: Topics

   other
"""
OTHER = "Other\n=====\n\nText.\n"


def captions(build):
    return build.page("index").select('p.caption[role="heading"]')


def test_toctree_caption_is_a_level_2_heading(build_small_project):
    build = build_small_project(
        {"index.rst": INDEX, "other.rst": OTHER}, ["fundamentals_site.accessible_html"]
    )
    assert build.warnings == ""
    (caption,) = captions(build)
    assert caption["aria-level"] == "2"
    assert caption.get_text() == "Topics"


def test_sphinx_still_leaves_the_caption_without_a_level(build_small_project):
    """The day this fails, sphinx-doc/sphinx#14030 is fixed in the Sphinx in use: remove
    conf/fundamentals_site/accessible_html.py from conf/conf.py and this file."""
    build = build_small_project({"index.rst": INDEX, "other.rst": OTHER}, [])
    (caption,) = captions(build)
    assert not caption.has_attr("aria-level"), (
        "Sphinx now writes aria-level on toctree captions (sphinx-doc/sphinx#14030 is fixed): "
        "conf/fundamentals_site/accessible_html.py is no longer needed"
    )
