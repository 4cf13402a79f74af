"""What each built page was verified with: generated from the actual runs, never typed.

Two records feed the stamp at the foot of every page:

- the doctests' record, a JSON file that the pytest run writes (``conftest.py`` calls
  :func:`record_doctest_results`): for each page, the hash of the source that ran, the outcome,
  the torch build and the device. ``DOCS_VERIFICATION_RECORD`` names the file; by default
  ``build/verification.json``. A page whose current source has no matching entry is stamped
  "not recorded", never "passed".
- the gallery's record, written next to the generated examples by :func:`gallery_reset` when an
  example really runs (sphinx-gallery skips unchanged examples, so the build's own torch is not
  evidence of what an example ran with).

The stamp also names the torch build and device of the Sphinx process itself.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

CONF_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(CONF_DIR))

import docs_device

RECORD_ENV = "DOCS_VERIFICATION_RECORD"
GALLERY_RECORD_NAME = "executed_with.json"


def record_path(root: Path) -> Path:
    """Where the doctests' record of the project under ``root`` is read and written."""
    return Path(os.environ.get(RECORD_ENV) or root / "build" / "verification.json")


def source_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def now() -> str:
    """The time of a run, to the minute; SOURCE_DATE_EPOCH (a reproducible build) fixes it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def record_doctest_results(root: Path, outcomes: dict[Path, str]) -> Path:
    """Merge one pytest run's per-page outcomes into the record; pages not run keep theirs."""
    path = record_path(root)
    record = load_json(path)
    pages = record.setdefault("pages", {})
    ran_with = {**docs_device.describe(), "finished": now()}
    for page, outcome in outcomes.items():
        key = page.resolve().relative_to(root).as_posix()
        pages[key] = {"sha256": source_hash(page), "outcome": outcome, **ran_with}
    write_json(path, record)
    return path


# -- gallery -------------------------------------------------------------------------------


def _gallery_dir(gallery_conf: dict) -> str:
    """The one gallery output folder (sphinx-gallery accepts a str or a list of them)."""
    dirs = gallery_conf["gallery_dirs"]
    (gallery_dir,) = [dirs] if isinstance(dirs, str) else dirs
    return gallery_dir


def _gallery_record_path(gallery_conf: dict) -> Path:
    return Path(gallery_conf["src_dir"]) / _gallery_dir(gallery_conf) / GALLERY_RECORD_NAME


_allocations_before: dict[str, int] = {}


def gallery_reset(gallery_conf, fname, when):
    """sphinx-gallery's reset hook: put the example on the device in use, then check and record.

    Before an example: make ``DOCS_DEVICE`` torch's default device (an earlier example may have
    changed it). After it: on ``cuda``, an example that allocated nothing on the GPU (its
    tensors silently stayed on the CPU) is a build warning, which ``-W`` makes an error. Then
    the torch build and device it ran with are recorded for its page's stamp.
    """
    if fname is None:
        return
    import torch
    from sphinx.util import logging

    name = str(fname)
    if when == "before":
        docs_device.activate()
        _allocations_before[name] = docs_device.cuda_allocations()
        return
    device = docs_device.requested()
    allocated = docs_device.cuda_allocations() - _allocations_before.pop(name, 0)
    if device == "cuda":
        default = torch.get_default_device().type
        if allocated == 0 or default != "cuda":
            logging.getLogger(__name__).warning(
                f"{name}: DOCS_DEVICE=cuda, but the example allocated {allocated} blocks on "
                f"the GPU and left torch's default device at {default!r}: its tensors did "
                "not run on the GPU",
                type="verified-with",
            )
    path = _gallery_record_path(gallery_conf)
    record = load_json(path)
    record[name] = {**docs_device.describe(), "finished": now(), "cuda_allocations": allocated}
    write_json(path, record)


def gallery_ran_elsewhere(src_dir: Path, gallery_dir: str, examples_dir: Path) -> bool:
    """Whether any example's recorded run used another torch build or device than this one.

    conf.py then re-runs every example (``run_stale_examples``), so that no page shows output
    from a torch or device other than the one its stamp names. Records of examples that no
    longer exist are ignored.
    """
    record = load_json(src_dir / gallery_dir / GALLERY_RECORD_NAME)
    existing = {path.name for path in examples_dir.rglob("*.py")}
    current = docs_device.describe()
    return any(
        entry.get("torch") != current["torch"] or entry.get("device") != current["device"]
        for name, entry in record.items()
        if name in existing
    )


# -- Sphinx --------------------------------------------------------------------------------


def _stamp_key(app) -> str:
    """Changes whenever a stamp would: then every page is re-read and re-written."""
    parts = [json.dumps(docs_device.describe(), sort_keys=True)]
    for path in (record_path(_project_root(app)), _gallery_record_file(app)):
        parts.append(source_hash(path) if path.is_file() else "-")
    return "|".join(parts)


def _project_root(app) -> Path:
    return Path(app.srcdir).resolve().parent


def _gallery_record_file(app) -> Path:
    return Path(app.srcdir) / _gallery_dir(app.config.sphinx_gallery_conf) / GALLERY_RECORD_NAME


def _outdated_when_stamp_changes(app, env, added, changed, removed):
    key = _stamp_key(app)
    if getattr(env, "verified_with_key", None) == key:
        return []
    env.verified_with_key = key
    return sorted(env.found_docs - added - changed - removed)


def _ran_with(entry: dict) -> str:
    gpu = f" ({entry['gpu']})" if entry.get("gpu") else ""
    return html.escape(f"torch {entry['torch']} on {entry['device']}{gpu}, {entry['finished']}")


def _doctest_line(app, pagename: str) -> str | None:
    source = Path(app.env.doc2path(pagename))
    if source.suffix != ".md" or "```pycon" not in source.read_text(encoding="utf-8"):
        return None
    root = _project_root(app)
    key = source.resolve().relative_to(root).as_posix()
    entry = load_json(record_path(root)).get("pages", {}).get(key)
    if entry is None or entry.get("sha256") != source_hash(source):
        return (
            "Doctests: status unknown, no test run is recorded for this version of the page "
            "(run <code>nox -s doctest</code>)."
        )
    return f"Doctests: {html.escape(entry['outcome'])} with {_ran_with(entry)}."


def _gallery_line(app, pagename: str) -> str | None:
    gallery_dir = _gallery_dir(app.config.sphinx_gallery_conf)
    example = Path(app.env.doc2path(pagename))
    if not pagename.startswith(f"{gallery_dir}/") or example.name == "index.rst":
        return None
    entry = load_json(_gallery_record_file(app)).get(example.with_suffix(".py").name)
    if entry is None:
        return "Example output: no record of the run that produced it."
    return f"Example output: executed with {_ran_with(entry)}."


def _add_stamp(app, pagename, templatename, context, doctree):
    if doctree is None or "body" not in context:
        return
    built = docs_device.describe()
    gpu = html.escape(f" ({built['gpu']})") if built.get("gpu") else ""
    lines = [
        line
        for line in (
            _doctest_line(app, pagename),
            _gallery_line(app, pagename),
            f"Site built with torch {html.escape(built['torch'])}, "
            f"{docs_device.ENV_VAR}={built['device']}{gpu}.",
        )
        if line
    ]
    items = "".join(f"<li>{line}</li>" for line in lines)
    # A plain block at the end of the page's content: an <aside> there would be a landmark
    # nested in the main one, which accessibility checkers flag.
    context["body"] += (
        f'<div class="verified-with"><p><strong>Verified with</strong></p><ul>{items}</ul></div>'
    )


def setup(app):
    app.connect("env-get-outdated", _outdated_when_stamp_changes)
    app.connect("html-page-context", _add_stamp)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
