"""The PDF file of a plain canvas, written out directly.

reportlab's `Canvas.save()` formats every object of the file through its general object model (dictionaries of
name objects, a reference table, a digest): for a home-care sheet, a dozen small objects and one content stream per
page, that was a quarter of the whole build. A sheet's file is always the same shape, so `pdf_bytes` writes it out
with the same objects and values (the page streams are the canvas's own, compressed by the same filter; the fonts,
resources, catalog, viewer preference and document information as reportlab writes them), and answers None for
anything else (an embedded font, an image, a link, an outline entry, a transparency, a form, a page box or
transition), which the caller saves with `canvas.save()` instead. `tests/assessments/documents/test_writer.py`
renders both with poppler and compares them pixel by pixel, as text and as metadata.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from .layout import FAST_FLATE

_PAGE_DEFAULTS: dict[str, Any] = {
    "Parent": None, "MediaBox": None, "Resources": None, "Contents": None, "CropBox": None, "Rotate": 0,
    "Thumb": None, "Annots": [], "B": None, "Dur": None, "Hid": None, "AA": None, "PieceInfo": None,
    "LastModified": None, "SeparationInfo": None, "ArtBox": None, "TrimBox": None, "BleedBox": None, "ID": None,
    "PZ": None, "ExtGState": None, "XObjects": None,
}  # fmt: skip
_CATALOG = {"Pages", "Lang", "Outlines", "ViewerPreferences"}
_INFO = {"trapped", "title", "author", "subject", "creator", "keywords", "producer"}
_PROC_SET = b"/ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ]"


def pdf_bytes(canv: Canvas, compressed: Sequence[bytes] = ()) -> bytes | None:
    """The canvas's document as a PDF file, or None when it holds anything but pages of vector drawing and text in
    the standard fonts (then use `canv.save()`). Like `save()`, it closes a page left open; the canvas is done
    afterwards either way. `compressed` are the first pages' streams, already compressed by FAST_FLATE (a draft's
    finished pages), written in place of the canvas's own."""
    if len(canv._code):
        canv.showPage()
    doc = canv._doc
    if not _plain(canv, doc):
        return None
    out = _Out()
    pages = doc.Pages.pages
    fonts = sorted(doc.fontMapping.items(), key=lambda item: int(item[1][2:]))  # ("Helvetica", "/F1")
    # Object numbers: catalog, information, page tree, font dictionary, fonts, then each page and its stream.
    catalog, info, tree, font_dict = 1, 2, 3, 4
    first_font = 5
    first_page = first_font + len(fonts)
    preferences = first_page + 2 * len(pages)
    out.add(
        catalog,
        b"<<\n/Lang %s /PageMode /UseNone /Pages %d 0 R /Type /Catalog /ViewerPreferences %d 0 R\n>>"
        % (doc.Catalog.Lang.format(doc), tree, preferences),
    )
    doc.info.invariant = doc.invariant
    out.add(info, doc.info.format(doc))
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(pages)))
    out.add(tree, b"<<\n/Count %d /Kids [ %s ] /Type /Pages\n>>" % (len(pages), kids))
    names = b" ".join(b"%s %d 0 R" % (name.encode(), first_font + i) for i, (_, name) in enumerate(fonts))
    out.add(font_dict, b"<<\n" + names + b"\n>>")
    for i, (font, name) in enumerate(fonts):
        out.add(
            first_font + i,
            b"<<\n/BaseFont /%s /Encoding /WinAnsiEncoding /Name %s /Subtype /Type1 /Type /Font\n>>"
            % (font.encode(), name.encode()),
        )
    for i, page in enumerate(pages):
        number = first_page + 2 * i
        box = b"[ 0 0 %s %s ]" % (fp_str(page.pagewidth).encode(), fp_str(page.pageheight).encode())
        out.add(
            number,
            b"<<\n/Contents %d 0 R /MediaBox %s /Parent %d 0 R /Resources <<\n/Font %d 0 R %s\n>> /Rotate 0 "
            b"/Trans <<\n\n>> \n  /Type /Page\n>>" % (number + 1, box, tree, font_dict, _PROC_SET),
        )
        data = compressed[i] if i < len(compressed) else FAST_FLATE.encode(page.stream)
        out.add(
            number + 1,
            b"<<\n/Filter [ /FlateDecode ] /Length %d\n>>\nstream\n%sendstream" % (len(data), data),
        )
    out.add(preferences, b"<<\n/DisplayDocTitle true\n>>")
    return out.finish(root=catalog, info=info)


def _plain(canv: Canvas, doc: Any) -> bool:
    """Only what `pdf_bytes` writes: pages of drawing and text in the standard fonts (WinAnsi), no other objects."""
    if doc.delayedFonts or not isinstance(doc.encrypt, pdfdoc.NoEncryption) or not doc.compression:
        return False
    pages = doc.Pages.pages
    if set(doc.idToObject) != {"BasicFonts", *(name[1:] for name in doc.fontMapping.values())} | {
        f"Page{i + 1}" for i in range(len(pages))
    }:
        return False  # a form, an annotation, an image, a shading...
    for font, name in doc.fontMapping.items():
        face = pdfmetrics.getFont(font)
        if type(face) is not pdfmetrics.Font or face.encoding.name != "WinAnsiEncoding" or not face.face.builtIn:
            return False
        if not (name.startswith("/F") and name[2:].isdigit()):
            return False
    if set(vars(doc.Catalog)) != _CATALOG or doc.Catalog.Pages is not doc.Pages:
        return False
    if doc.Catalog.ViewerPreferences.dict != {"DisplayDocTitle": "true"}:
        return False
    outline = doc.Outlines
    if outline.buildtree or outline.destinationnamestotitles or outline.destinationstotitles:
        return False
    if not set(vars(doc.info)) <= _INFO or doc.info._dateFormatter is not None:
        return False
    for page in pages:
        fields = vars(page)
        if any(fields.get(key, default) != default for key, default in _PAGE_DEFAULTS.items()):
            return False
        if fields.get("Trans") is None or fields["Trans"].dict or not page.compression or fields.get("_colorsUsed"):
            return False
        if fields.get("_shadingUsed") or not isinstance(page.stream, str) or page.Override_default_compilation:
            return False
    return bool(pages)


class _Out:
    """The file: objects added in number order, then the cross-reference table and the trailer."""

    def __init__(self) -> None:
        self.parts = [b"%PDF-1.4\n%\x93\x8c\x8b\x9e ReportLab Generated PDF document (opensource)\n"]
        self.size = len(self.parts[0])
        self.offsets: list[int] = []

    def add(self, number: int, body: bytes) -> None:
        assert number == len(self.offsets) + 1
        part = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        self.offsets.append(self.size)
        self.parts.append(part)
        self.size += len(part)

    def finish(self, *, root: int, info: int) -> bytes:
        digest = hashlib.md5(b"".join(self.parts), usedforsecurity=False).hexdigest().encode()
        xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.offsets) + 1) + b"".join(
            b"%010d 00000 n \n" % offset for offset in self.offsets
        )
        trailer = (
            b"trailer\n<<\n/ID \n[<%s><%s>]\n%% ReportLab generated PDF document -- digest (opensource)\n\n"
            b"/Info %d 0 R\n/Root %d 0 R\n/Size %d\n>>\nstartxref\n%d\n%%%%EOF\n"
            % (digest, digest, info, root, len(self.offsets) + 1, self.size)
        )
        return b"".join(self.parts) + xref + trailer
