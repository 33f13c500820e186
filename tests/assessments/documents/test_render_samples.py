"""Renders the sample documents to PNG (test-artifacts/documents/) for people to look at, with pypdfium2."""

from __future__ import annotations

from tests.assessments.documents.render_samples import SAMPLES, render


def test_samples_render_to_pdf_and_png(tmp_path):
    written = render(out=tmp_path, dpi=40, max_pages=1)
    assert sorted(p.name for p in written if p.suffix == ".pdf") == sorted(f"{name}.pdf" for name in SAMPLES)
    pngs = [p for p in written if p.suffix == ".png"]
    assert sorted(p.name for p in pngs) == sorted(f"{name}-1.png" for name in SAMPLES)
    for png in pngs:
        assert png.read_bytes().startswith(b"\x89PNG")
        assert png.stat().st_size > 2_000  # not a blank page
