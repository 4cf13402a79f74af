"""The one definition of how the site is built, used by noxfile.py and by tests/.

Kept free of imports beyond the standard library: nox imports it from its own environment.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where `nox -s docs` writes the site (README.md names this path).
HTML_DIR = ROOT / "build" / "html"
# Strict everywhere: nitpicky references, warnings are errors, but report all of them.
SPHINX_STRICT = ("-n", "-W", "--keep-going")


def sphinx_build_args(out_dir: Path | str, *extra: str, root: Path = ROOT) -> list[str]:
    """Arguments for ``sphinx-build`` that build the site under ``root`` into ``out_dir``."""
    return [
        "-c",
        str(root / "conf"),
        *SPHINX_STRICT,
        "-b",
        "html",
        *extra,
        str(root / "docs"),
        str(out_dir),
    ]
