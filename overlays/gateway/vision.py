"""Image content parts from local files or bytes, as base64 ``data:`` URLs."""

from __future__ import annotations

import base64
import mimetypes
import os
from typing import Dict, Optional, Union

from ..models import ImageContentPart

__all__ = ["detect_image_mime", "image_data_url", "image_part_from_bytes", "image_part_from_file"]

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
)


def detect_image_mime(data: bytes, filename: Optional[str] = None) -> str:
    """The image MIME type from magic bytes, else from the file extension."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return "image/heic"
    head = data[:256].lstrip()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:1024]):
        return "image/svg+xml"
    if filename:
        guessed, _ = mimetypes.guess_type(filename)
        if guessed and guessed.startswith("image/"):
            return guessed
    where = f" of {filename!r}" if filename else ""
    raise ValueError(
        f"cannot tell the image type{where} from its first bytes {data[:12]!r}; "
        "pass mime='image/...' explicitly"
    )


def image_data_url(data: bytes, mime: Optional[str] = None) -> str:
    mime = mime or detect_image_mime(data)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def image_part_from_bytes(
    data: bytes, mime: Optional[str] = None, *, detail: Optional[str] = None
) -> ImageContentPart:
    """An ``image_url`` content part carrying ``data`` inline."""
    image_url: Dict[str, str] = {"url": image_data_url(data, mime)}
    if detail is not None:
        image_url["detail"] = detail
    return ImageContentPart.model_validate({"type": "image_url", "image_url": image_url})


def image_part_from_file(
    path: Union[str, os.PathLike[str]],
    *,
    detail: Optional[str] = None,
    mime: Optional[str] = None,
) -> ImageContentPart:
    """An ``image_url`` content part with the file's bytes as a data URL."""
    with open(path, "rb") as handle:
        data = handle.read()
    return image_part_from_bytes(
        data, mime or detect_image_mime(data, os.fspath(path)), detail=detail
    )
