"""Reading the builders' PDFs back with pypdf."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    return PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    """All pages' text, whitespace collapsed (so that a phrase wrapped over two lines still matches)."""
    return " ".join(" ".join(page.extract_text() or "" for page in reader(pdf).pages).split())


def font_names(pdf: bytes) -> set[str]:
    """The BaseFont of every font in every page's resources (subset prefixes like ABCDEF+ removed)."""
    names: set[str] = set()
    for page in reader(pdf).pages:
        resources: Any = page.get("/Resources") or {}
        fonts: Any = resources.get("/Font") or {}
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+", 1)[-1])
    return names


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader(pdf).pages]
