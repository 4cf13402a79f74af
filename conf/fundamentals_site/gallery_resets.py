"""The functions sphinx-gallery calls around each example (``reset_modules`` in conf/conf.py).

Named there by their dotted path, so that the configuration stays picklable. With
``reset_modules_order = "both"`` each runs before and after every example; a function whose
third parameter is ``when`` is told which.
"""

from __future__ import annotations

import gc

from fundamentals_site import docs_device, gallery_record
from fundamentals_site.seeding import seed_everything


def reseed(gallery_conf: dict, fname: str | None) -> None:
    """Seed every generator, as before every page, so that an example's random numbers do
    not depend on the examples that ran before it."""
    seed_everything()


_imports_frozen = False


def freeze_imports_out_of_gc(gallery_conf: dict, fname: str | None) -> None:
    """Once torch is imported into the build process, exempt its objects from the cyclic GC.

    torch and NumPy leave hundreds of thousands of long-lived objects behind, and every full
    collection that Sphinx's many small doctree objects trigger afterwards scans them all again:
    1.5 to 3 s of a 13 s clean build (`nox -s bench`). Frozen once, before the first example (and
    after ``reseed`` imported torch), so that the examples' own garbage is still collected.
    """
    global _imports_frozen
    if not _imports_frozen:
        gc.freeze()
        _imports_frozen = True


_allocations_before: dict[str, int] = {}


def run_on_device(gallery_conf: dict, fname: str | None, when: str) -> None:
    """Run each example on the device in use (``DOCS_DEVICE``), prove it, and record it.

    Before an example: make the device torch's default (an earlier example may have changed
    it). After it: on ``cuda``, an example that allocated nothing on the GPU (its tensors
    silently stayed on the CPU) is a build warning, which ``-W`` makes an error; then what it
    ran with goes into the gallery's record (conf/fundamentals_site/gallery_record.py).
    """
    if fname is None:
        return
    name = str(fname)
    if when == "before":
        docs_device.activate()
        _allocations_before[name] = docs_device.cuda_allocations()
        return
    allocated = docs_device.cuda_allocations() - _allocations_before.pop(name, 0)
    if docs_device.requested() == "cuda":
        import torch
        from sphinx.util import logging

        default = torch.get_default_device().type
        if allocated == 0 or default != "cuda":
            logging.getLogger(__name__).warning(
                f"{name}: DOCS_DEVICE=cuda, but the example allocated {allocated} blocks on "
                f"the GPU and left torch's default device at {default!r}: its tensors did "
                "not run on the GPU",
                type="verified-with",
            )
    gallery_record.record_example_run(gallery_conf, name, allocated)
