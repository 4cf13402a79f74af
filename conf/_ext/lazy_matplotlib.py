"""Keep sphinx-gallery from importing matplotlib.pyplot on a build that runs no example.

sphinx-gallery 0.22 imports matplotlib and pyplot while it reads its configuration, on every
build, to select the Agg backend: two seconds of a three-second no-op rebuild here. Its
matplotlib reset (``reset_modules``), which runs before each executed example, does the same
import and backend check, so the import at configuration time is only needed when an example
runs, and it happens then. Here the configuration-time import is replaced by the environment
setting that selects Agg for whoever imports matplotlib first.

Reaches into a private name of sphinx-gallery (pinned in requirements/constraints.txt): if a
new version drops it, this does nothing and the build is only slower.
"""

from __future__ import annotations

import os


def _select_agg_lazily():
    os.environ.setdefault("MPLBACKEND", "agg")


def setup(app):
    from sphinx_gallery import gen_gallery

    if hasattr(gen_gallery, "_import_matplotlib"):
        gen_gallery._import_matplotlib = _select_agg_lazily
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
