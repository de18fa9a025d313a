"""Multipart uploads: file arguments, and a multipart operation's parts turned into a request.

The generated method of every ``multipart/form-data`` operation takes its parts as arguments;
its ``MultipartForm`` (built once, from the spec) checks the required ones and encodes them:
file parts as ``(filename, bytes, content_type)``, form fields as text.

A file part carries its base name and a content type: the one given, else the image type
sniffed from the bytes (OpenAI-style servers reject an image sent as
``application/octet-stream``), else the one the spec declares for the part, else a guess from
the file name. A part the spec declares as images only (``image/*`` in its ``encoding``
``contentType`` or ``contentMediaType``) must be one, or come with its content type.
"""

from __future__ import annotations

import enum
import json
import os
from typing import IO, Any, Dict, List, Mapping, Optional, Tuple, Union

from .errors import InvalidRequestError

__all__ = ["FileInput", "MultipartForm", "file_part", "image_type"]

FileContent = Union[bytes, IO[bytes]]
#: What a file argument takes: a path, bytes, a binary file object, or a
#: ``(filename, content)`` / ``(filename, content, content_type)`` tuple.
FileInput = Union[
    str,
    "os.PathLike[str]",
    bytes,
    IO[bytes],
    Tuple[Optional[str], FileContent],
    Tuple[Optional[str], FileContent, Optional[str]],
]

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


def _declared(accept: str) -> List[str]:
    """The media types a spec writes for a part (``"image/png, image/jpeg"``)."""
    return [media.strip().lower() for media in accept.split(",") if media.strip()]


def file_part(value: FileInput, field: str, accept: str = "") -> Tuple[str, bytes, str]:
    """The ``(filename, bytes, content_type)`` multipart part of a file argument; ``accept``:
    the media types the spec declares for the part (comma-separated, may be empty)."""
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
        raise InvalidRequestError(f"{field}: the file is empty")
    sniffed = image_type(data)
    declared = _declared(accept)
    if content_type is None and sniffed is not None:
        content_type = sniffed[0]
    if content_type is None and declared and all(m.startswith("image/") for m in declared):
        raise InvalidRequestError(
            f"{field}: not a PNG, JPEG, GIF or WebP image (first bytes {data[:8]!r}); pass "
            "a (filename, bytes, content_type) tuple to send it anyway"
        )
    if content_type is None and len(declared) == 1 and "*" not in declared[0]:
        content_type = declared[0]
    if content_type is None and name:
        import mimetypes

        content_type = mimetypes.guess_type(name)[0]
    if not name:
        name = field + _extension(sniffed, content_type)
    return name, data, content_type or "application/octet-stream"


def _extension(sniffed: Optional[Tuple[str, str]], content_type: Optional[str]) -> str:
    """The extension of a file part named after its field: the sniffed image's, else the
    content type's, else ``.bin``."""
    if sniffed is not None:
        return "." + sniffed[1]
    if content_type:
        import mimetypes

        return mimetypes.guess_extension(content_type.split(";")[0].strip()) or ".bin"
    return ".bin"


def _form_text(value: Any, field: str) -> Union[str, List[str]]:
    """A form field's value as text: numbers and strings as written, booleans ``true``/``false``,
    enums and root models by value, arrays as one part per item, objects as JSON."""
    value = getattr(value, "root", value)
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        texts: List[str] = []
        for item in value:
            text = _form_text(item, field)
            if not isinstance(text, str):
                raise InvalidRequestError(f"{field}: a form field cannot hold a list of lists")
            texts.append(text)
        return texts
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    raise InvalidRequestError(
        f"{field}: expected text, a number, a boolean, a list or an object, "
        f"got {type(value).__name__}"
    )


def _missing(value: Any) -> bool:
    """Form servers cannot tell an empty field (or an empty list of parts) from a missing one."""
    return value is None or (isinstance(value, (str, bytes, list, tuple)) and not value)


class MultipartForm:
    """The parts of one multipart operation, as its spec declares them.

    ``files``: file part -> the media types the spec accepts for it (``""``: not declared);
    ``file_lists``: file parts that take a list of files (one part per file, in order);
    ``required``: parts a call must set.
    """

    def __init__(
        self,
        operation: str,
        *,
        required: Tuple[str, ...] = (),
        files: Optional[Mapping[str, str]] = None,
        file_lists: Tuple[str, ...] = (),
    ) -> None:
        self.operation = operation
        self.required = required
        self.files: Mapping[str, str] = files or {}
        self.file_lists = file_lists

    def encode(self, parts: Mapping[str, Any]) -> Dict[str, Any]:
        """``files`` and ``data`` of the request (parts left ``None`` are not sent); a missing
        required part or a bad value raises ``InvalidRequestError`` before anything is sent."""
        for name in self.required:
            if _missing(parts.get(name)):
                raise InvalidRequestError(f"{self.operation}: {name} is required")
        files: Dict[str, Any] = {}
        data: Dict[str, Any] = {}
        for name, value in parts.items():
            if value is None:
                continue
            if name not in self.files:
                data[name] = _form_text(value, name)
            elif name in self.file_lists:
                if isinstance(value, (str, bytes, tuple)) or not hasattr(value, "__iter__"):
                    raise InvalidRequestError(f"{name}: expected a list of files")
                files[name] = [file_part(item, name, self.files[name]) for item in value]
            else:
                files[name] = file_part(value, name, self.files[name])
        return {"files": files, "data": data}
