"""Private names of other projects that the site relies on: each fails here, naming the
project, the day it changes, instead of silently doing nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A Sphinx app with sphinx-gallery and conf/fundamentals_site/lazy_matplotlib.py, set up in a fresh
# process (this one may have imported pyplot already); prints whether pyplot got imported.
SET_UP_GALLERY = """
import sys, tempfile
from pathlib import Path
from sphinx.testing.util import SphinxTestApp

srcdir = Path(tempfile.mkdtemp()) / "docs"
srcdir.mkdir()
(srcdir / "conf.py").write_text(
    "extensions = ['fundamentals_site.lazy_matplotlib', 'sphinx_gallery.gen_gallery']\\n"
    "sphinx_gallery_conf = {'examples_dirs': [], 'gallery_dirs': []}\\n"
)
(srcdir / "index.rst").write_text("Title\\n=====\\n")
app = SphinxTestApp("html", srcdir=srcdir)
print("WARNINGS", repr(app.warning.getvalue()))
print("PYPLOT", "matplotlib.pyplot" in sys.modules)
app.cleanup()
"""


def test_sphinx_gallery_still_has_the_import_lazy_matplotlib_replaces():
    from sphinx_gallery import gen_gallery

    assert hasattr(gen_gallery, "_import_matplotlib"), (
        "sphinx-gallery no longer has gen_gallery._import_matplotlib: adapt or remove "
        "conf/fundamentals_site/lazy_matplotlib.py"
    )


def test_a_build_that_runs_no_example_does_not_import_pyplot():
    ran = subprocess.run(
        [sys.executable, "-c", SET_UP_GALLERY],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "conf"), "PATH": ""},
        check=False,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert "WARNINGS ''" in ran.stdout, ran.stdout
    assert "PYPLOT False" in ran.stdout, (
        "sphinx-gallery imported matplotlib.pyplot while reading its configuration: "
        "conf/fundamentals_site/lazy_matplotlib.py no longer prevents it"
    )
