"""The device switch and the "Verified with" stamp: generated from real runs, never a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent

from fundamentals_site import docs_device, verified_with

MD_PAGES = sorted((ROOT / "docs").glob("*.md"))


def test_device_defaults_to_cpu(monkeypatch):
    monkeypatch.delenv(docs_device.ENV_VAR, raising=False)
    assert docs_device.requested() == "cpu"


def test_unknown_device_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(docs_device.ENV_VAR, "tpu")
    with pytest.raises(ValueError, match="DOCS_DEVICE='tpu': expected one of cpu, cuda"):
        docs_device.requested()


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without a GPU")
def test_cuda_without_a_gpu_fails_instead_of_falling_back(monkeypatch):
    monkeypatch.setenv(docs_device.ENV_VAR, "cuda")
    with pytest.raises(RuntimeError, match="sees no CUDA device"):
        docs_device.activate()


def test_cuda_comparison_drops_only_the_device_of_tensor_reprs():
    printed = "tensor([[1, 2],\n        [3, 4]], device='cuda:0', dtype=torch.int32)\n"
    assert docs_device.drop_cuda_repr_suffix("tensor(...)\n", printed) == (
        "tensor([[1, 2],\n        [3, 4]], dtype=torch.int32)\n"
    )
    grad = "tensor([1.], device='cuda:0', grad_fn=<AddBackward0>)\n"
    assert docs_device.drop_cuda_repr_suffix("", grad) == "tensor([1.], grad_fn=<AddBackward0>)\n"
    # Other text naming the device, and blocks that show the device on purpose, stay as printed.
    assert docs_device.drop_cuda_repr_suffix("", "device(type='cuda', index=0)\n") == (
        "device(type='cuda', index=0)\n"
    )
    shown = "tensor([1.], device='cuda:0')\n"
    assert docs_device.drop_cuda_repr_suffix(shown, shown) == shown


PAGE = "# A page\n\n```pycon\n>>> 1 + 1\n2\n```\n"


def stamp(build) -> str:
    """The "Verified with" note at the foot of the built page, as a reader reads it."""
    note = build.page("page").select_one("div.verified-with")
    assert note is not None, "the page has no stamp"
    return " ".join(note.get_text(" ").split())


@pytest.fixture
def build_page(build_small_project, tmp_path, monkeypatch):
    """Build docs/page.md (with the stamp extension) in a project at tmp_path, whose doctest
    record is tmp_path/record.json; returns a function of the page's text."""
    monkeypatch.setenv(verified_with.RECORD_ENV, str(tmp_path / "record.json"))

    def build(text: str = PAGE):
        return build_small_project(
            {"page.md": text}, ["myst_parser", "fundamentals_site.verified_with"], root_doc="page"
        )

    return build


def test_stamp_reports_the_recorded_run(build_page, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(PAGE, encoding="utf-8")
    verified_with.record_doctest_results(tmp_path, {tmp_path / "docs" / "page.md": "passed"})
    assert f"Doctests: passed with torch {torch.__version__} on cpu, " in stamp(build_page())


def test_stamp_never_claims_a_run_of_another_version_of_the_page(build_page, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(PAGE, encoding="utf-8")
    verified_with.record_doctest_results(tmp_path, {tmp_path / "docs" / "page.md": "passed"})
    assert "Doctests: passed" in stamp(build_page())
    changed = stamp(build_page(PAGE.replace("2\n", "2\n>>> 3\n3\n")))
    assert "Doctests: status unknown" in changed
    assert "passed" not in changed


def test_stamp_without_any_record_says_unknown(build_page):
    assert "Doctests: status unknown" in stamp(build_page())


def test_record_keeps_pages_that_did_not_run(tmp_path, monkeypatch):
    record = tmp_path / "record.json"
    monkeypatch.setenv(verified_with.RECORD_ENV, str(record))
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a", "b"):
        (docs / f"{name}.md").write_text(PAGE)
    verified_with.record_doctest_results(tmp_path, {docs / "a.md": "passed"})
    verified_with.record_doctest_results(tmp_path, {docs / "b.md": "failed"})
    pages = json.loads(record.read_text())["pages"]
    assert {key: entry["outcome"] for key, entry in pages.items()} == {
        "docs/a.md": "passed",
        "docs/b.md": "failed",
    }


def built_stamp(html_file: Path) -> str:
    note = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser").select_one(
        "div.verified-with"
    )
    assert note is not None, f"{html_file} has no stamp"
    return " ".join(note.get_text(" ").split())


def test_every_built_page_carries_the_stamp_of_this_torch(site):
    built = f"Site built with torch {torch.__version__}, DOCS_DEVICE=cpu."
    for page in MD_PAGES:
        html_file = site.html_dir / page.relative_to(ROOT / "docs").with_suffix(".html")
        assert built in built_stamp(html_file), f"{page}: stamp does not name this torch"


def test_gallery_pages_name_the_run_that_produced_their_output(site):
    examples = list((site.html_dir / "auto_examples").rglob("plot_*.html"))
    assert examples
    for example in examples:
        ran = f"Example output: executed with torch {torch.__version__} on cpu"
        assert ran in built_stamp(example), example
