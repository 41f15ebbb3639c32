"""Reading card QR codes from a photo or a scan (zxing-cpp), for `kpps verify --image`."""

from __future__ import annotations

import io

from kpps_tui.errors import KppsError
from kpps_tui.i18n import N_


def qr_texts(image_bytes: bytes, path: str) -> list[str]:
    """The text of every QR code found in the image (read from `path`), in reading order
    (top to bottom)."""
    try:
        import zxingcpp
        from PIL import Image, UnidentifiedImageError
    except ImportError as exc:  # pragma: no cover - both are dependencies of the package
        raise KppsError(N_("Reading QR codes from images needs the zxing-cpp and pillow packages.")) from exc
    try:
        with Image.open(io.BytesIO(image_bytes)) as image:
            image.load()
            gray = image.convert("L")
    except (UnidentifiedImageError, OSError) as exc:
        raise KppsError(N_("{path} is not an image this program can read."), path=str(path)) from exc
    found = zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode))
    found.sort(key=lambda b: (b.position.top_left.y, b.position.top_left.x))
    return [b.text for b in found if b.valid]
