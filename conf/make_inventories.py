"""Write the intersphinx inventories of torch and NumPy: every entry a page that exists.

The build must need no network, so instead of fetching ``objects.inv`` from docs.pytorch.org
the inventories are generated here and kept under ``conf/inventories/``. Regenerate with
``nox -s inventory`` after a version bump.

Where the targets come from
---------------------------
The candidate names are the public names of the installed torch and NumPy (the releases the
pages are tested with). A name is written only if the page its link would open exists on the
hosted docs of that release, by the committed lists ``conf/inventories/pytorch-2.13-pages.txt``
and ``numpy-2.4-pages.txt`` (format and URLs: ``conf/fundamentals_site/api_docs.py``). Guessing
``generated/<import path>.html`` is not enough: PyTorch's page names come from the autosummary
lists of its documentation sources, so ``torch.nn.Flatten`` is documented on
``generated/torch.nn.modules.flatten.Flatten.html``, ``torch.Tensor.T`` on ``tensors.html``, and
about 70 ``torch.Tensor`` members have no page at all. For each name, in order:

1. ``generated/<name>.html`` (or NumPy's ``reference/generated/<name>.html``), if listed;
2. the page of the name it is defined under (``obj.__module__`` + ``__qualname__``:
   ``torch.nn.modules.flatten.Flatten``), if listed; its anchor is that documented name;
3. an object the list names on a page of another name (``tensors.html#torch.Tensor.T``);

otherwise the name gets no entry, and a page that links it fails the nitpicky build.

Refreshing the lists
--------------------
``--refresh-torch-pages searchindex.js`` rewrites the page lines of the PyTorch list from the
``docnames`` of a release's search index (https://docs.pytorch.org/docs/<release>/searchindex.js,
or ``<release>/searchindex.js`` in the pytorch/docs repository) and keeps its anchored lines.
``--check-numpy-pages searchindex.js`` reports the NumPy list's pages that a release lacks.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import sphobjinv
from fundamentals_site.api_docs import (
    INVENTORY_DIR,
    NUMPY_PAGES,
    TORCH_PAGES,
    PageList,
    read_page_list,
)

Entry = tuple[str, str, str]  # (name, role, uri)

# The namespaces whose public names become entries, and whose generated pages the PyTorch list
# keeps on a refresh (with the modules those names are defined in).
TORCH_NAMESPACES = (
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.linalg",
    "torch.optim",
    "torch.cuda",
)
KEPT_PAGE_PREFIXES = (
    "torch.Tensor.",
    "torch.nn.",
    "torch.linalg.",
    "torch.optim.",
    "torch.cuda.",
    "torch.autograd.grad_mode.",
    "torch.functional.",
)
# Names outside those namespaces that pages use; each must be listed as an anchored object.
TORCH_EXTRA = [
    ("torch", "module"),
    ("torch.nn", "module"),
    ("torch.nn.functional", "module"),
    ("torch.linalg", "module"),
    ("torch.optim", "module"),
    ("torch.cuda", "module"),
    ("torch.utils.data.Dataset", "class"),
    ("torch.utils.data.DataLoader", "class"),
    ("torch.testing.assert_close", "function"),
    ("torch.serialization.add_safe_globals", "function"),
    ("torch.serialization.safe_globals", "class"),
]
NUMPY_EXTRA: list[tuple[str, str]] = []


def public(namespace) -> Iterator[tuple[str, object]]:
    for name in sorted(dir(namespace)):
        if name.startswith("_"):
            continue
        try:
            yield name, getattr(namespace, name)
        except Exception:  # some lazy attributes raise on access; they have no page to link
            continue


def public_members(cls) -> Iterator[tuple[str, object]]:
    for name in sorted(dir(cls)):
        if not name.startswith("_"):
            yield name, inspect.getattr_static(cls, name)


def role_of(obj) -> str | None:
    if isinstance(obj, types.ModuleType):
        return None
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return None


def member_role(obj) -> str:
    return "attribute" if isinstance(obj, (property, types.GetSetDescriptorType)) else "method"


def defined_as(obj) -> str | None:
    """The dotted name an object is defined under, which its documentation may use instead."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and "<" not in qualname:
        return f"{module}.{qualname}"
    return None


def resolve(listed: PageList, generated_dir: str, name: str, obj=None) -> str | None:
    """The URI (page#anchor) of ``name`` on the hosted docs, or None if it has no page there."""
    for documented in (name, defined_as(obj) if obj is not None else None):
        if documented and listed.has(page := f"{generated_dir}{documented}.html", documented):
            return f"{page}#{documented}"
    page = listed.anchored.get(name)
    return f"{page}#{name}" if page else None


def torch_candidates() -> Iterator[tuple[str, str, object]]:
    import torch

    for prefix in TORCH_NAMESPACES:
        namespace = eval(prefix, {"torch": torch})
        for name, obj in public(namespace):
            role = role_of(obj)
            if role:
                yield f"{prefix}.{name}", role, obj
    for cls, prefix in (
        (torch.Tensor, "torch.Tensor"),
        (torch.nn.Module, "torch.nn.Module"),
        (torch.optim.Optimizer, "torch.optim.Optimizer"),
    ):
        for name, obj in public_members(cls):
            yield f"{prefix}.{name}", member_role(obj), None


def numpy_candidates() -> Iterator[tuple[str, str, object]]:
    import numpy

    for name, obj in public(numpy):
        role = role_of(obj)
        if role:
            yield f"numpy.{name}", role, obj
    for name, obj in public_members(numpy.ndarray):
        yield f"numpy.ndarray.{name}", member_role(obj), None


def entries(
    listed: PageList, generated_dir: str, candidates, extra: list[tuple[str, str]]
) -> tuple[list[Entry], int]:
    """Every candidate that has a page, and how many were left out for having none."""
    found: dict[str, Entry] = {}
    left_out = 0
    for name, role, obj in candidates:
        uri = resolve(listed, generated_dir, name, obj)
        if uri is None:
            left_out += 1
        else:
            found.setdefault(name, (name, role, uri))
    for name, role in extra:
        page = listed.anchored.get(name) or listed.anchored.get(f"module-{name}")
        if page is None:
            raise SystemExit(f"{name}: not in the committed page list; add its page#anchor line")
        anchor = name if name in listed.anchored else f"module-{name}"
        found.setdefault(name, (name, role, f"{page}#{anchor}"))
    return sorted(found.values()), left_out


def write_inventory(path: Path, project: str, version: str, objects: list[Entry]) -> None:
    """Write ``objects.inv`` with sphobjinv (the maintained reader and writer of the format)."""
    inventory = sphobjinv.Inventory()
    inventory.project = project
    inventory.version = version
    for name, role, uri in objects:
        inventory.objects.append(
            sphobjinv.DataObjStr(
                name=name, domain="py", role=role, priority="1", uri=uri, dispname="-"
            )
        )
    sphobjinv.writebytes(path, sphobjinv.compress(inventory.data_file(contract=True)))


def search_index_docnames(path: Path) -> list[str]:
    """The ``docnames`` of a Sphinx ``searchindex.js`` (``Search.setIndex({...})``)."""
    text = path.read_text(encoding="utf-8")
    body = text[text.index("(") + 1 : text.rindex(")")]
    return json.loads(body)["docnames"]


def refresh_torch_pages(search_index: Path, pages_file: Path = TORCH_PAGES) -> int:
    """Rewrite the PyTorch list's page lines from a release's docnames; keep everything else."""
    kept = sorted(
        f"{doc}.html"
        for doc in search_index_docnames(search_index)
        if doc.startswith("generated/torch.")
        and (
            "." not in doc.removeprefix("generated/torch.")
            or doc.removeprefix("generated/").startswith(KEPT_PAGE_PREFIXES)
        )
    )
    lines = pages_file.read_text(encoding="utf-8").splitlines()
    header_length = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    header, body = lines[:header_length], lines[header_length:]
    anchored = [line for line in body if not line.startswith("generated/") or "#" in line]
    pages_file.write_text("\n".join([*header, "", *kept, *anchored]) + "\n", encoding="utf-8")
    print(f"{pages_file}: {len(kept)} pages from {search_index}")
    return 0


def check_numpy_pages(search_index: Path) -> int:
    docnames = {f"{doc}.html" for doc in search_index_docnames(search_index)}
    listed = read_page_list(NUMPY_PAGES)
    missing = sorted((listed.pages | set(listed.anchored.values())) - docnames)
    for page in missing:
        print(f"not in {search_index}: {page}")
    return 1 if missing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refresh-torch-pages", type=Path, metavar="SEARCHINDEX_JS")
    parser.add_argument("--check-numpy-pages", type=Path, metavar="SEARCHINDEX_JS")
    args = parser.parse_args(argv)
    if args.refresh_torch_pages:
        return refresh_torch_pages(args.refresh_torch_pages)
    if args.check_numpy_pages:
        return check_numpy_pages(args.check_numpy_pages)

    import numpy
    import torch

    for label, project, module, pages, generated_dir, candidates, extra in (
        ("torch", "PyTorch", torch, TORCH_PAGES, "generated/", torch_candidates(), TORCH_EXTRA),
        (
            "numpy",
            "NumPy",
            numpy,
            NUMPY_PAGES,
            "reference/generated/",
            numpy_candidates(),
            NUMPY_EXTRA,
        ),
    ):
        objects, left_out = entries(read_page_list(pages), generated_dir, candidates, extra)
        version = module.__version__.split("+")[0]
        path = INVENTORY_DIR / f"{label}.inv"
        write_inventory(path, project, version, objects)
        print(
            f"{path.relative_to(INVENTORY_DIR.parent.parent)}: {len(objects)} objects from "
            f"{label} {version} ({left_out} public names have no page in {pages.name})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
