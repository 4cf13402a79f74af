"""The device switch and the "Verified with" stamp: generated from real runs, never a guess."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "conf" / "_ext"))
sys.path.insert(0, str(ROOT / "conf"))

import docs_device
import verified_with

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


def _fake_app(tmp_path: Path, page_text: str) -> SimpleNamespace:
    """Just enough of a Sphinx app for the stamp: a project with one page, docs/page.md."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.md").write_text(page_text, encoding="utf-8")
    env = SimpleNamespace(doc2path=lambda name: docs / f"{name}.md")
    return SimpleNamespace(srcdir=docs, env=env)


PAGE = "# A page\n\n```pycon\n>>> 1 + 1\n2\n```\n"


def test_stamp_reports_the_recorded_run(tmp_path, monkeypatch):
    monkeypatch.setenv(verified_with.RECORD_ENV, str(tmp_path / "record.json"))
    app = _fake_app(tmp_path, PAGE)
    verified_with.record_doctest_results(tmp_path, {tmp_path / "docs" / "page.md": "passed"})
    line = verified_with._doctest_line(app, "page")
    assert line.startswith(f"Doctests: passed with torch {torch.__version__} on cpu, ")


def test_stamp_never_claims_a_run_of_another_version_of_the_page(tmp_path, monkeypatch):
    monkeypatch.setenv(verified_with.RECORD_ENV, str(tmp_path / "record.json"))
    app = _fake_app(tmp_path, PAGE)
    verified_with.record_doctest_results(tmp_path, {tmp_path / "docs" / "page.md": "passed"})
    (tmp_path / "docs" / "page.md").write_text(PAGE.replace("2\n", "2\n>>> 3\n3\n"))
    assert "status unknown" in verified_with._doctest_line(app, "page")


def test_stamp_without_any_record_says_unknown(tmp_path, monkeypatch):
    monkeypatch.setenv(verified_with.RECORD_ENV, str(tmp_path / "absent.json"))
    assert "status unknown" in verified_with._doctest_line(_fake_app(tmp_path, PAGE), "page")


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


def test_every_built_page_carries_the_stamp_of_this_torch(site):
    built = f"Site built with torch {torch.__version__}, DOCS_DEVICE=cpu."
    pages = [p.relative_to(ROOT / "docs").with_suffix(".html") for p in MD_PAGES]
    for page in pages:
        html = (site.html_dir / page).read_text(encoding="utf-8")
        assert 'class="verified-with"' in html, f"{page} has no stamp"
        assert built in html, f"{page}: stamp does not name torch {torch.__version__}"


def test_gallery_pages_name_the_run_that_produced_their_output(site):
    examples = [p for p in (site.html_dir / "auto_examples").rglob("plot_*.html")]
    assert examples
    for example in examples:
        html = example.read_text(encoding="utf-8")
        assert f"Example output: executed with torch {torch.__version__} on cpu" in html, example
