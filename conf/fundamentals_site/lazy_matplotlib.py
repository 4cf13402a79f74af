"""Keep sphinx-gallery from importing matplotlib.pyplot on a build that runs no example.

sphinx-gallery 0.22 imports matplotlib and pyplot while it reads its configuration, on every
build, to select the Agg backend: two seconds of a three-second no-op rebuild here. Its own
comment there (sphinx_gallery/gen_gallery.py, ``_fill_gallery_conf_defaults``: "Eventually we
can make this a config var like matplotlib_agg") names the option it lacks; no upstream issue
asks for it yet. Its matplotlib reset (``reset_modules``), which runs before each executed
example, does the same import and backend check, so the import at configuration time is only
needed when an example runs, and it happens then. Here the configuration-time import is
replaced by the environment setting that selects Agg for whoever imports matplotlib first.

This replaces a private name of sphinx-gallery, ``gen_gallery._import_matplotlib``. If a new
version drops it, the build warns (an error under -W), and tests/test_private_names.py fails,
naming sphinx-gallery.
"""

from __future__ import annotations

import os

from sphinx.util import logging

PRIVATE_NAME = "_import_matplotlib"


def _select_agg_lazily():
    os.environ.setdefault("MPLBACKEND", "agg")


def setup(app):
    from sphinx_gallery import gen_gallery

    if hasattr(gen_gallery, PRIVATE_NAME):
        setattr(gen_gallery, PRIVATE_NAME, _select_agg_lazily)
    else:
        logging.getLogger(__name__).warning(
            f"sphinx-gallery's gen_gallery.{PRIVATE_NAME} is gone: "
            "conf/fundamentals_site/lazy_matplotlib.py no longer keeps pyplot out of a no-op "
            "rebuild; adapt it to this sphinx-gallery or remove it from conf/conf.py's extensions",
            type="lazy-matplotlib",
        )
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
