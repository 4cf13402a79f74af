"""Give sphinx-gallery's download zips fixed timestamps when SOURCE_DATE_EPOCH is set.

sphinx-gallery zips each example's ``.py`` and ``.ipynb`` for download; a zip entry records its
file's modification time, and the notebook is written during the build, so two builds of the
same sources would otherwise give different zips. With SOURCE_DATE_EPOCH set (the
reproducible-builds.org convention, which Sphinx and sphinx-gallery follow too), every zip in
the output is rewritten with its entries dated to that time; their contents are unchanged.
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

# The earliest time a zip entry can record.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def source_date() -> tuple[int, int, int, int, int, int] | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return None
    return max(ZIP_EPOCH, tuple(time.gmtime(int(epoch))[:6]))


def restamp_zip(path: Path, date_time: tuple[int, int, int, int, int, int]) -> None:
    """Rewrite the zip at ``path`` with every entry dated ``date_time``, in name order."""
    with zipfile.ZipFile(path) as original:
        entries = [(info, original.read(info)) for info in original.infolist()]
    fresh = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(fresh, "w") as restamped:
        for info, data in sorted(entries, key=lambda entry: entry[0].filename):
            stamped = zipfile.ZipInfo(info.filename, date_time=date_time)
            stamped.compress_type = info.compress_type
            stamped.external_attr = info.external_attr
            restamped.writestr(stamped, data)
    fresh.replace(path)


def _restamp_downloads(app, exception):
    date_time = source_date()
    if exception is not None or date_time is None:
        return
    for path in sorted(Path(app.outdir).rglob("*.zip")):
        restamp_zip(path, date_time)


def setup(app):
    app.connect("build-finished", _restamp_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
