"""Renders the sample documents to PNG (test-artifacts/documents/) for people to look at; needs pdftoppm."""

from __future__ import annotations

import shutil

from tests.assessments.documents.render_samples import SAMPLES, render


def test_samples_render_to_png(tmp_path):
    assert shutil.which("pdftoppm"), "pdftoppm is missing: apt-get install -y poppler-utils (.ci/run does this)"
    written = render(out=tmp_path, dpi=40, max_pages=1)
    pngs = [p for p in written if p.suffix == ".png"]
    assert sorted(p.name for p in pngs) == sorted(f"{name}-1.png" for name in SAMPLES)
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG")
        assert png.stat().st_size > 2_000  # not a blank page


def test_samples_render_to_pdf_without_pdftoppm(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    written = render(out=tmp_path)
    assert [p.suffix for p in written] == [".pdf"] * len(SAMPLES)
