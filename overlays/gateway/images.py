"""Image uploads as the Images API takes them: one multipart file part per image, with its base
name and its image content type (sniffed from the bytes when not given: OpenAI-style servers
reject ``application/octet-stream``).

An image may be a path (``str`` or ``pathlib.Path``), ``bytes``, a binary file object, or a
``(filename, bytes_or_file[, content_type])`` tuple.
"""

from __future__ import annotations

import os
from typing import IO, Any, Optional, Tuple, Union

from ..errors import InvalidRequestError

__all__ = ["FileInput", "file_part", "image_type"]
__requires__ = {"operations": ["create_image_edit", "create_image_variation"]}

FileInput = Union[str, "os.PathLike[str]", bytes, IO[bytes], Tuple[Any, ...]]

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


def image_type(data: bytes) -> Optional[Tuple[str, str]]:
    """(content type, file extension) of PNG, JPEG, GIF or WebP bytes, else ``None``."""
    for signature, content_type, extension in _SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def _read(value: Any, field: str) -> Tuple[Optional[str], bytes]:
    """(file name if known, bytes) of a path, bytes or binary file object."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return None, bytes(value)
    if isinstance(value, (str, os.PathLike)):
        path = os.fspath(value)
        try:
            with open(path, "rb") as handle:
                return os.path.basename(path), handle.read()
        except OSError as exc:
            raise InvalidRequestError(
                f"{field}: cannot read {path!r} ({exc.strerror or exc})"
            ) from None
    read = getattr(value, "read", None)
    if callable(read):
        data = read()
        if not isinstance(data, bytes):
            raise InvalidRequestError(
                f"{field}: the file object must be opened in binary mode ('rb')"
            )
        name = getattr(value, "name", None)
        return (os.path.basename(name) if isinstance(name, str) else None), data
    raise InvalidRequestError(
        f"{field}: expected a path, bytes, a binary file or a (filename, bytes, content_type) "
        f"tuple, got {type(value).__name__}"
    )


def file_part(value: FileInput, field: str) -> Tuple[str, bytes, str]:
    """The ``(filename, bytes, content_type)`` multipart part of an image argument."""
    name: Optional[str]
    content_type: Optional[str] = None
    if isinstance(value, tuple):
        if not 2 <= len(value) <= 3 or not isinstance(value[0], (str, type(None))):
            raise InvalidRequestError(f"{field}: a tuple must be (filename, bytes[, content_type])")
        _, data = _read(value[1], field)
        name = value[0]
        content_type = value[2] if len(value) == 3 else None
    else:
        name, data = _read(value, field)
    if not data:
        raise InvalidRequestError(f"{field}: the image is empty")
    sniffed = image_type(data)
    if content_type is None:
        if sniffed is None:
            raise InvalidRequestError(
                f"{field}: not a PNG, JPEG, GIF or WebP image (first bytes {data[:8]!r}); pass "
                "a (filename, bytes, content_type) tuple to send it anyway"
            )
        content_type = sniffed[0]
    if not name:
        name = f"{field}.{sniffed[1] if sniffed else 'bin'}"
    return name, data, content_type
