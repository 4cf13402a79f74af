"""Every external link of the built site opens a page that exists.

The API references' pages are checked against the committed lists of the real pages of the releases
the site is verified with (conf/fundamentals_site/api_docs.py, conf/inventories/*-pages.txt); other
hosts' links must be accounted for in conf/inventories/other-links.txt. No network is needed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sphobjinv
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
from fundamentals_site import api_docs

REFERENCES = {
    "torch": (api_docs.TORCH_DOCS_URL, api_docs.read_page_list(api_docs.TORCH_PAGES)),
    "numpy": (api_docs.NUMPY_DOCS_URL, api_docs.read_page_list(api_docs.NUMPY_PAGES)),
}


def reference_of(url: str) -> tuple[str, str, str, str] | None:
    """(reference, version folder, page, anchor) of a link into an API reference, else None."""
    parts = urlsplit(url)
    for label, (base, _) in REFERENCES.items():
        base_parts = urlsplit(base)
        root = base_parts.path.rstrip("/").rsplit("/", 1)[0] + "/"  # /docs/ or /doc/
        if parts.netloc == base_parts.netloc and parts.path.startswith(root):
            version, _, page = parts.path.removeprefix(root).partition("/")
            return label, version, page, parts.fragment
    return None


def external_links(parsed_pages: dict[Path, BeautifulSoup]) -> dict[str, set[str]]:
    """Each external URL of the site, with the pages that link it."""
    links: dict[str, set[str]] = {}
    for page, soup in parsed_pages.items():
        for anchor in soup.find_all("a", href=True):
            href = anchor["href"]
            if urlsplit(href).scheme in ("http", "https"):
                links.setdefault(href, set()).add(str(page))
    return links


def test_every_external_link_opens_a_listed_page(parsed_pages):
    links = external_links(parsed_pages)
    assert links, "no external link found: is the site built?"
    others = api_docs.read_other_links()
    unknown = []
    for url, pages in sorted(links.items()):
        found = reference_of(url)
        if found is None:
            ok = url in others
        else:
            label, version, page, anchor = found
            base, listed = REFERENCES[label]
            released = urlsplit(base).path.rstrip("/").rsplit("/", 1)[-1]
            # Links written into the prose may name `stable`; the API links are the release's.
            ok = version in (released, "stable") and listed.has(page, anchor)
        if not ok:
            unknown.append(f"{url} (on {', '.join(sorted(pages))})")
    assert unknown == [], "external links to no listed page:\n" + "\n".join(unknown)


def test_api_links_name_the_verified_release(parsed_pages):
    """intersphinx links carry the release they were resolved for: never `stable`."""
    stale = []
    for url in external_links(parsed_pages):
        found = reference_of(url)
        if found and found[3]:  # an API link: page#anchor
            label, version = found[0], found[1]
            if not REFERENCES[label][0].rstrip("/").endswith(f"/{version}"):
                stale.append(url)
    assert stale == []


@pytest.mark.parametrize("label", sorted(REFERENCES))
def test_every_inventory_entry_is_a_listed_page(label):
    """The committed inventory names only listed pages, each with its documented anchor."""
    inventory = sphobjinv.Inventory(api_docs.INVENTORY_DIR / f"{label}.inv")
    listed = REFERENCES[label][1]
    assert len(inventory.objects) > 100
    missing = [
        f"{obj.name}: {obj.uri_expanded}"
        for obj in inventory.objects
        if not listed.has(*obj.uri_expanded.partition("#")[::2])
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("name", "uri"),
    [
        # Once guessed as generated/<name>.html, which do not exist (404) on the hosted docs.
        ("torch.Tensor.T", "tensors.html#torch.Tensor.T"),
        ("torch.Tensor.mT", "tensors.html#torch.Tensor.mT"),
        (
            "torch.nn.Flatten",
            "generated/torch.nn.modules.flatten.Flatten.html#torch.nn.modules.flatten.Flatten",
        ),
        (
            "torch.nn.Parameter",
            "generated/torch.nn.parameter.Parameter.html#torch.nn.parameter.Parameter",
        ),
        ("torch.matmul", "generated/torch.matmul.html#torch.matmul"),
    ],
)
def test_names_resolve_to_their_real_pages(name, uri):
    inventory = sphobjinv.Inventory(api_docs.INVENTORY_DIR / "torch.inv")
    uris = {obj.name: obj.uri_expanded for obj in inventory.objects}
    assert uris[name] == uri


def test_page_list_rejects_a_guessed_page():
    """The check can fail: a guessed page, or a listed page with another object's anchor."""
    listed = REFERENCES["torch"][1]
    assert not listed.has("generated/torch.nn.Flatten.html", "torch.nn.Flatten")
    assert not listed.has("generated/torch.matmul.html", "torch.mm")
    assert listed.has("generated/torch.matmul.html", "torch.matmul")
