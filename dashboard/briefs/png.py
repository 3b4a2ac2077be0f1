"""A brief's first page as PNG (for slides and chat): poppler's pdftoppm, or pypdfium2."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path


class PngError(RuntimeError):
    """The PDF page could not be turned into a PNG."""


def pdf_to_png(pdf: bytes, *, dpi: int = 150) -> bytes:
    """The first page of a PDF as PNG, with poppler's ``pdftoppm`` (or pypdfium2 if installed)."""
    tool = shutil.which("pdftoppm")
    if tool:
        with tempfile.TemporaryDirectory(prefix="brief-") as tmp:
            src = Path(tmp) / "brief.pdf"
            src.write_bytes(pdf)
            result = subprocess.run(
                [tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(src), str(Path(tmp) / "page")],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            if result.returncode != 0:
                raise PngError(f"pdftoppm failed: {result.stderr.strip()}")
            return (Path(tmp) / "page.png").read_bytes()
    try:
        import pypdfium2 as pdfium  # optional fallback
    except ImportError as exc:
        raise PngError(
            "no PDF rasteriser: install poppler-utils (apt-get install -y poppler-utils) or pypdfium2"
        ) from exc
    page = pdfium.PdfDocument(pdf)[0]
    image = page.render(scale=dpi / 72).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
