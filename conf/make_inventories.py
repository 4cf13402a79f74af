"""Write the intersphinx inventories of torch and NumPy from the installed packages.

The build must need no network, so instead of fetching ``objects.inv`` from docs.pytorch.org
the inventories are generated here, from the very torch and NumPy the pages are tested with,
and kept under ``conf/inventories/``. Regenerate with ``nox -s inventory`` after a version bump.

Each public name is mapped to the page the official reference gives it:
``generated/torch.matmul.html#torch.matmul`` for a function, the class page with an anchor for
``torch.nn.Module`` methods, and so on.
"""

from __future__ import annotations

import inspect
import sys
import types
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy
import torch

OUT_DIR = Path(__file__).resolve().parent / "inventories"
Entry = tuple[str, str, str]  # (name, role, uri)


def public(namespace) -> Iterator[tuple[str, object]]:
    for name in sorted(dir(namespace)):
        if name.startswith("_"):
            continue
        try:
            yield name, getattr(namespace, name)
        except Exception:  # some lazy attributes raise on access; they have no page to link
            continue


def role_of(obj) -> str | None:
    if inspect.isclass(obj):
        return "class"
    if callable(obj):
        return "function"
    return None


def member_role(obj) -> str:
    return "attribute" if isinstance(obj, (property, types.GetSetDescriptorType)) else "method"


def torch_entries() -> Iterator[Entry]:
    # Modules and the classes with hand-written pages.
    yield from [
        ("torch", "module", "torch.html#module-torch"),
        ("torch.nn", "module", "nn.html#module-torch.nn"),
        ("torch.nn.functional", "module", "nn.functional.html#module-torch.nn.functional"),
        ("torch.linalg", "module", "linalg.html#module-torch.linalg"),
        ("torch.optim", "module", "optim.html#module-torch.optim"),
        ("torch.cuda", "module", "cuda.html#module-torch.cuda"),
        ("torch.Tensor", "class", "tensors.html#torch.Tensor"),
        ("torch.Size", "class", "size.html#torch.Size"),
        ("torch.device", "class", "tensor_attributes.html#torch.device"),
        ("torch.dtype", "class", "tensor_attributes.html#torch.dtype"),
        ("torch.utils.data.Dataset", "class", "data.html#torch.utils.data.Dataset"),
        ("torch.utils.data.DataLoader", "class", "data.html#torch.utils.data.DataLoader"),
        ("torch.testing.assert_close", "function", "testing.html#torch.testing.assert_close"),
        (
            "torch.serialization.add_safe_globals",
            "function",
            "notes/serialization.html#torch.serialization.add_safe_globals",
        ),
        (
            "torch.serialization.safe_globals",
            "class",
            "notes/serialization.html#torch.serialization.safe_globals",
        ),
    ]
    hand_written = {"Tensor", "Size", "device", "dtype"}
    # Functions and classes with a generated page of their own.
    for prefix, namespace in [
        ("torch", torch),
        ("torch.nn", torch.nn),
        ("torch.nn.functional", torch.nn.functional),
        ("torch.linalg", torch.linalg),
        ("torch.optim", torch.optim),
        ("torch.cuda", torch.cuda),
    ]:
        for name, obj in public(namespace):
            role = role_of(obj)
            if role is None or isinstance(obj, types.ModuleType):
                continue
            if prefix == "torch" and name in hand_written:
                continue
            full = f"{prefix}.{name}"
            yield full, role, f"generated/{full}.html#{full}"
    # Tensor methods and attributes each have a generated page.
    for name, obj in public_members(torch.Tensor):
        full = f"torch.Tensor.{name}"
        yield full, member_role(obj), f"generated/{full}.html#{full}"
    # Module methods live on the class's page; Optimizer methods each have a page.
    for name, obj in public_members(torch.nn.Module):
        full = f"torch.nn.Module.{name}"
        yield full, member_role(obj), f"generated/torch.nn.Module.html#{full}"
    for name, obj in public_members(torch.optim.Optimizer):
        full = f"torch.optim.Optimizer.{name}"
        yield full, member_role(obj), f"generated/{full}.html#{full}"


def public_members(cls) -> Iterator[tuple[str, object]]:
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        yield name, inspect.getattr_static(cls, name)


def numpy_entries() -> Iterator[Entry]:
    yield "numpy", "module", "index.html#module-numpy"
    yield "numpy.ndarray", "class", "reference/generated/numpy.ndarray.html#numpy.ndarray"
    for name, obj in public(numpy):
        role = role_of(obj)
        if role is None or isinstance(obj, types.ModuleType) or name == "ndarray":
            continue
        full = f"numpy.{name}"
        yield full, role, f"reference/generated/{full}.html#{full}"
    for name, obj in public_members(numpy.ndarray):
        full = f"numpy.ndarray.{name}"
        yield full, member_role(obj), f"reference/generated/{full}.html#{full}"


def write_inventory(path: Path, project: str, version: str, entries: Iterator[Entry]) -> int:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry[0], entry)
    lines = [f"{name} py:{role} 1 {uri} -" for name, role, uri in sorted(seen.values())]
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = zlib.compress(("\n".join(lines) + "\n").encode("utf-8"), 9)
    path.write_bytes(header.encode("utf-8") + body)
    return len(lines)


def main() -> int:
    OUT_DIR.mkdir(exist_ok=True)
    torch_version = torch.__version__.split("+")[0]
    count = write_inventory(OUT_DIR / "torch.inv", "PyTorch", torch_version, torch_entries())
    print(f"conf/inventories/torch.inv: {count} objects from torch {torch_version}")
    count = write_inventory(OUT_DIR / "numpy.inv", "NumPy", numpy.__version__, numpy_entries())
    print(f"conf/inventories/numpy.inv: {count} objects from numpy {numpy.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
