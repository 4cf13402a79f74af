"""Two clean builds with SOURCE_DATE_EPOCH set give byte-identical HTML.

Run by `nox -s reproducible` (a check, not part of the pytest suite: it builds the whole site
twice). Each build starts from a fresh copy of the sources at the same path, as a fresh clone
would, and writes into its own output directory; then every file of the two outputs is
compared byte for byte. Sphinx's pickled environment (``.doctrees/``) is the build's cache, not
its output, and is not compared.

Exits non-zero and lists the files that differ, if any.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import sys
import tempfile
from pathlib import Path

from fundamentals_site.build_command import build_site, copy_site

# 2026-11-28 00:00:00 UTC: any fixed time will do; it stands in for "the commit's date".
DEFAULT_EPOCH = "1795824000"
NOT_OUTPUT = {".doctrees"}


def output_files(html_dir: Path) -> set[Path]:
    return {
        path.relative_to(html_dir)
        for path in html_dir.rglob("*")
        if path.is_file() and not NOT_OUTPUT.intersection(path.relative_to(html_dir).parts)
    }


def main() -> int:
    os.environ.setdefault("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)
    with tempfile.TemporaryDirectory(prefix="reproducible-") as tmp:
        work = Path(tmp)
        source = work / "site"
        outputs = []
        for attempt in (1, 2):
            shutil.rmtree(source, ignore_errors=True)
            copy_site(source)
            build = build_site(work / f"html-{attempt}", root=source)
            if build.returncode != 0:
                print(build.output)
                print(f"build {attempt} failed")
                return 1
            outputs.append(build.html_dir)
        first, second = (output_files(html) for html in outputs)
        only_one = sorted(first ^ second)
        differing = sorted(
            path
            for path in first & second
            if not filecmp.cmp(outputs[0] / path, outputs[1] / path, shallow=False)
        )
        print(f"SOURCE_DATE_EPOCH={os.environ['SOURCE_DATE_EPOCH']}: compared {len(first)} files")
        for path in only_one:
            print(f"  in one build only: {path}")
        for path in differing:
            print(f"  differs: {path}")
        if only_one or differing:
            return 1
        print("the two builds are byte-identical")
        return 0


if __name__ == "__main__":
    sys.exit(main())
