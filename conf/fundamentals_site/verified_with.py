"""What each built page was verified with: generated from the actual runs, never typed.

Two records feed the stamp at the foot of every page:

- the doctests' record, a JSON file that the pytest run writes (``conftest.py`` calls
  :func:`record_doctest_results`): for each page, the hash of the source that ran, the outcome,
  the torch build and the device. ``DOCS_VERIFICATION_RECORD`` names the file; by default
  ``build/verification.json``. A page whose current source has no matching entry is stamped
  "not recorded", never "passed".
- the gallery's record (conf/fundamentals_site/gallery_record.py), written when an example
  really runs.

The stamp also names the torch build and device of the Sphinx process itself.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from fundamentals_site import docs_device
from fundamentals_site.gallery_record import (
    file_sha256,
    finished_now,
    gallery_dir,
    load_json,
    record_file,
    write_json,
)

RECORD_ENV = "DOCS_VERIFICATION_RECORD"


def record_path(root: Path) -> Path:
    """Where the doctests' record of the project under ``root`` is read and written."""
    return Path(os.environ.get(RECORD_ENV) or root / "build" / "verification.json")


def record_doctest_results(root: Path, outcomes: dict[Path, str]) -> Path:
    """Merge one pytest run's per-page outcomes into the record; pages not run keep theirs."""
    path = record_path(root)
    record = load_json(path)
    pages = record.setdefault("pages", {})
    ran_with = {**docs_device.describe(), "finished": finished_now()}
    for page, outcome in outcomes.items():
        key = page.resolve().relative_to(root).as_posix()
        pages[key] = {"sha256": file_sha256(page), "outcome": outcome, **ran_with}
    write_json(path, record)
    return path


# -- Sphinx --------------------------------------------------------------------------------


def _stamp_key(app) -> str:
    """Changes whenever a stamp would: then every page is re-read and re-written."""
    parts = [json.dumps(docs_device.describe(), sort_keys=True)]
    paths = [record_path(_project_root(app))]
    if _gallery_conf(app):
        paths.append(record_file(app.srcdir, _gallery_conf(app)))
    for path in paths:
        parts.append(file_sha256(path) if path.is_file() else "-")
    return "|".join(parts)


def _project_root(app) -> Path:
    return Path(app.srcdir).resolve().parent


def _gallery_conf(app) -> dict | None:
    """sphinx-gallery's configuration, where the project uses it."""
    return getattr(app.config, "sphinx_gallery_conf", None)


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
    if entry is None or entry.get("sha256") != file_sha256(source):
        return (
            "Doctests: status unknown, no test run is recorded for this version of the page "
            "(run <code>nox -s doctest</code>)."
        )
    return f"Doctests: {html.escape(entry['outcome'])} with {_ran_with(entry)}."


def _gallery_line(app, pagename: str) -> str | None:
    gallery_conf = _gallery_conf(app)
    if not gallery_conf:
        return None
    example = Path(app.env.doc2path(pagename))
    if not pagename.startswith(f"{gallery_dir(gallery_conf)}/") or example.name == "index.rst":
        return None
    entry = load_json(record_file(app.srcdir, gallery_conf)).get(example.with_suffix(".py").name)
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
