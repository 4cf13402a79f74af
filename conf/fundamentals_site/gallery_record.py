"""The gallery's record of what each example ran with, and the one rule for re-running them.

sphinx-gallery skips an example whose source is unchanged (its md5 cache), so the build's own torch
is no evidence of what an example's output came from. Each time an example really runs,
conf/fundamentals_site/gallery_resets.py writes here the torch build, the device and the version of
the figure module (examples/shape_figures.py, which every figure example imports) it ran with. The
record feeds each gallery page's "Verified with" stamp (conf/fundamentals_site/verified_with.py) and
decides, in conf/conf.py, whether every example must run again (sphinx-gallery's
``run_stale_examples``).
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from fundamentals_site import docs_device

RECORD_NAME = "executed_with.json"
# The module every figure example imports: when it changes, every figure may change.
FIGURE_MODULE_NAME = "shape_figures.py"
# What an example's output depends on besides its own source (which sphinx-gallery's md5 covers).
STALE_WHEN_CHANGED = ("torch", "device", "figure_module_sha256")


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def finished_now() -> str:
    """The time of a run, to the minute; SOURCE_DATE_EPOCH (a reproducible build) fixes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def gallery_dir(gallery_conf: dict) -> str:
    """The one gallery output folder (sphinx-gallery accepts a str or a list of them)."""
    dirs = gallery_conf["gallery_dirs"]
    (only,) = [dirs] if isinstance(dirs, str) else dirs
    return only


def record_file(src_dir: Path | str, gallery_conf: dict) -> Path:
    return Path(src_dir) / gallery_dir(gallery_conf) / RECORD_NAME


def figure_module_version(examples_dir: Path | str) -> str:
    module = Path(examples_dir) / FIGURE_MODULE_NAME
    return file_sha256(module) if module.is_file() else "-"


def what_runs_now(examples_dir: Path | str) -> dict[str, str]:
    """The torch build, device and figure module an example would run with in this build."""
    return {**docs_device.describe(), "figure_module_sha256": figure_module_version(examples_dir)}


def record_example_run(gallery_conf: dict, example: str, cuda_allocations: int) -> None:
    """Record that ``example`` (its file name) just ran, with what, in the build's record."""
    path = record_file(gallery_conf["src_dir"], gallery_conf)
    record = load_json(path)
    record[example] = {
        **what_runs_now(gallery_conf["examples_dirs"]),
        "finished": finished_now(),
        "cuda_allocations": cuda_allocations,
    }
    write_json(path, record)


def examples_are_stale(src_dir: Path, gallery_conf: dict) -> bool:
    """Whether any existing example last ran with another torch build, device or figure
    module than this build has: then every example runs again, so that no page shows output
    from a torch, a device or a figure other than the one its stamp names. An example with
    no record runs anyway (sphinx-gallery has no md5 of it); records of examples that no
    longer exist are ignored."""
    examples_dir = Path(gallery_conf["examples_dirs"])
    record = load_json(record_file(src_dir, gallery_conf))
    existing = {path.name for path in examples_dir.rglob("*.py")}
    current = what_runs_now(examples_dir)
    return any(
        any(entry.get(key) != current[key] for key in STALE_WHEN_CHANGED)
        for name, entry in record.items()
        if name in existing
    )
