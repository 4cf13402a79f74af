"""Where the site's API links point, and the committed lists of the pages that exist there.

Kept free of imports beyond the standard library: conf.py, conf/make_inventories.py and the
link test (tests/test_links.py) all read it, and a no-op rebuild must not import torch.

The site links the reference of the very releases its pages are verified with (pyproject's
pins), not ``stable``: those releases' docs stay as they are, ``stable`` moves on.

Each list (``conf/inventories/*-pages.txt``) holds one target a line:

- ``generated/torch.matmul.html``: a page; an API link to it must carry the anchor of the object
  the page documents, which autosummary names after the page (``#torch.matmul``);
- ``tensors.html#torch.Tensor.T``: an object documented on a page of another name (a
  hand-written page, or a member on its class's page), exactly as that page's anchor spells it.

Lines starting with ``#`` are comments. How each list was made, and how to refresh it, is in
its header and in conf/make_inventories.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CONF_DIR = Path(__file__).resolve().parent.parent
INVENTORY_DIR = CONF_DIR / "inventories"

# The releases the pages are verified with (pyproject.toml: torch==2.13.0, numpy==2.4.6).
TORCH_RELEASE = "2.13"
NUMPY_RELEASE = "2.4"
TORCH_DOCS_URL = f"https://docs.pytorch.org/docs/{TORCH_RELEASE}/"
NUMPY_DOCS_URL = f"https://numpy.org/doc/{NUMPY_RELEASE}/"

TORCH_PAGES = INVENTORY_DIR / f"pytorch-{TORCH_RELEASE}-pages.txt"
NUMPY_PAGES = INVENTORY_DIR / f"numpy-{NUMPY_RELEASE}-pages.txt"
# Links to other hosts (the theme's footer, a project page cited in prose): each checked by
# hand when it was added; the link test fails on any external link not accounted for.
OTHER_LINKS = INVENTORY_DIR / "other-links.txt"


@dataclass
class PageList:
    """A committed list of the pages (and anchored objects) that exist on a hosted reference."""

    pages: set[str] = field(default_factory=set)
    # anchor -> page, for the objects listed as ``page#anchor``
    anchored: dict[str, str] = field(default_factory=dict)

    def has(self, page: str, anchor: str = "") -> bool:
        """Whether ``page#anchor`` is a documented target (``anchor`` empty: the page itself)."""
        if not anchor:
            return page in self.pages or page in self.anchored.values()
        if self.anchored.get(anchor) == page:
            return True
        # A page named after the object it documents (autosummary): the anchor is its name.
        return page in self.pages and page.rsplit("/", 1)[-1].removesuffix(".html") == anchor


def read_page_list(path: Path) -> PageList:
    listed = PageList()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        page, _, anchor = line.partition("#")
        if anchor:
            listed.anchored[anchor] = page
        else:
            listed.pages.add(page)
    return listed


def read_other_links(path: Path = OTHER_LINKS) -> set[str]:
    return {
        line.split()[0]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
