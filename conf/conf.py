"""Sphinx configuration: the one home of the site's settings.

Built with ``sphinx-build -c conf docs build/html`` (see ``noxfile.py``): the configuration
lives apart from the pages, so ``docs/`` holds nothing but what a reader reads.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CONF_DIR = Path(__file__).resolve().parent
ROOT = CONF_DIR.parent
# The project's own package (conf/fundamentals_site: the extensions below, the device choice,
# the gallery's record): Sphinx runs this file but puts nothing on sys.path for it.
sys.path.insert(0, str(CONF_DIR))

from fundamentals_site import api_docs, docs_device, gallery_record

# The device the gallery runs on (DOCS_DEVICE): made torch's default here, so that a CUDA build
# without a usable GPU stops at once with the reason instead of in the first example. On the CPU
# there is nothing to set up, and a no-op rebuild need not import torch.
if docs_device.requested() == "cuda":
    docs_device.activate()

project = "PyTorch Fundamentals, Checked"
author = "The PyTorch Fundamentals contributors"
copyright = "2026, " + author

extensions = [
    "myst_parser",
    "sphinx_design",
    # assets no page uses (sphinx-design's 62 KB among them) left out: the page budget
    "fundamentals_site.unused_assets",
    # before sphinx_gallery: no pyplot import on a no-op rebuild
    "fundamentals_site.lazy_matplotlib",
    "sphinx_gallery.gen_gallery",
    "sphinx_copybutton",
    "sphinx.ext.intersphinx",
    "fundamentals_site.doctest_fences",
    "fundamentals_site.reproducible_zips",
    "fundamentals_site.thumbnail_alt_text",
    # The "Verified with" stamp on every page: torch build, device, the doctests' recorded result.
    "fundamentals_site.verified_with",
    "fundamentals_site.accessible_html",
    "fundamentals_site.light_thumbnails",
    # A meta description on every page (a build error if one is missing); images sized.
    "fundamentals_site.page_meta",
    # Every page with code also downloads as <page>.ipynb and <page>.py, made from its source.
    "fundamentals_site.page_notebooks",
    # Gallery downloads carry examples/shape_figures.py inline, so each runs as downloaded.
    "fundamentals_site.standalone_downloads",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "auto_examples/**/*.ipynb"]
nitpicky = True

# -- MyST -------------------------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- API links ------------------------------------------------------------------------------
# Every torch API named on a page links to the official reference of the release the pages are
# verified with (conf/fundamentals_site/api_docs.py). The inventories hold only pages that exist
# there, by the committed page lists (conf/make_inventories.py, `nox -s inventory`;
# tests/test_links.py), so the build needs no network.
intersphinx_mapping = {
    "torch": (api_docs.TORCH_DOCS_URL, str(api_docs.INVENTORY_DIR / "torch.inv")),
    "numpy": (api_docs.NUMPY_DOCS_URL, str(api_docs.INVENTORY_DIR / "numpy.inv")),
}
intersphinx_cache_limit = 0
intersphinx_timeout = 1

# -- HTML -------------------------------------------------------------------------------------
# furo: light and dark mode, mobile layout, and no font or script from another host.
html_theme = "furo"
html_title = project
# Relative to conf/: the project's own CSS and JS (accessibility fixes, search opened from
# the file system; each file says why).
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_js_files = ["site.js"]
# Without an icon of its own, a browser asks for /favicon.ico at the host's root: a failed
# request, and outside the site when it is served from a sub-path.
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = None
# A search lands on the topic page first, not on a gallery page or a summary.
html_search_scorer = str(CONF_DIR / "search_scorer.js")

# -- Copy button ------------------------------------------------------------------------------
# Copy only the code of a doctest: prompts stripped, output lines left out, so what is pasted
# into a fresh Python runs.
# A bare "..." ends an indented block in the REPL: it is copied as the blank line it stands for.
copybutton_prompt_text = r">>> |\.\.\. |\.\.\.$"
copybutton_prompt_is_regexp = True
copybutton_only_copy_prompt_lines = True

# -- Gallery ----------------------------------------------------------------------------------
# The examples import their figure code from examples/shape_figures.py by its bare name, the way
# a reader runs a downloaded example with that file saved next to it; for the build, examples/ is
# on sys.path (sphinx-gallery itself only adds the example's own folder).
sys.path.insert(0, str(ROOT / "examples"))

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "backreferences_dir": "gen_modules/backreferences",
    "filename_pattern": r"/plot_",
    # The figure module is not an example: not rendered as one, but copied into the gallery so
    # the front page (examples/GALLERY_HEADER.rst) can offer it for download.
    "ignore_pattern": r"__init__\.py|shape_figures\.py",
    "copyfile_regex": r"shape_figures\.py",
    # An example that raises fails the build, naming the example's file.
    "abort_on_example_error": False,
    "only_warn_on_example_error": False,
    # Print once: a summary assigned to a name is not echoed again through its repr.
    "capture_repr": ("_repr_html_", "__repr__"),
    # Around each example (conf/fundamentals_site/gallery_resets.py, each function says why):
    # matplotlib's defaults back, every generator seeded, the device in use (DOCS_DEVICE) made
    # torch's default and, after it, checked and recorded. Hence "both": before and after.
    "reset_modules": (
        "matplotlib",
        "fundamentals_site.gallery_resets.reseed",
        "fundamentals_site.gallery_resets.freeze_imports_out_of_gc",
        "fundamentals_site.gallery_resets.run_on_device",
    ),
    "reset_modules_order": "both",
    # "Download all examples" (auto_examples_python.zip / _jupyter.zip on the gallery's front
    # page); conf/fundamentals_site/standalone_downloads.py makes every example in them run alone.
    "download_all_examples": True,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    # Thumbnails are shown at most 160 x 112 CSS pixels: twice that is sharp on a high-density
    # screen. With conf/fundamentals_site/light_thumbnails.py it keeps the pages that show every
    # thumbnail (the gallery, the annotated notes) within the 300 KB first-load budget
    # (tests/test_browser.py). The default is (400, 280).
    "thumbnail_size": (320, 224),
    # The execution-times pages load jQuery and DataTables from CDNs; the site makes no request
    # to another host, so they are not written.
    "write_computation_times": False,
    # With SOURCE_DATE_EPOCH set (a reproducible build, `nox -s reproducible`), leave out each
    # example's running time, as sphinx-gallery already does for sg_execution_times: a time
    # differs from build to build. `nox -s bench` is where times are measured.
    "min_reported_time": float("inf") if "SOURCE_DATE_EPOCH" in os.environ else 0,
}
# Every example runs again when any ran with another torch build, device or figure module
# (conf/fundamentals_site/gallery_record.py): the output on a page and the stamp under it always
# agree.
sphinx_gallery_conf["run_stale_examples"] = gallery_record.examples_are_stale(
    ROOT / "docs", sphinx_gallery_conf
)
