"""Image uploads with the official SDK's call forms: ``create_image_edit(image, prompt, ...)``
and ``create_image_variation(image, ...)`` take typed arguments and image files (see
``images.file_part``), on top of the generated multipart operations.

Arguments left unset are not sent; a missing or unreadable image is an
``InvalidRequestError`` before anything is sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

if TYPE_CHECKING:
    from .._operations import AsyncOperations as _AsyncBase
    from .._operations import SyncOperations as _SyncBase
    from ..models import ImagesResponse
    from .images import FileInput
else:
    _SyncBase = _AsyncBase = object

__all__ = ["AsyncImagesHelpers", "ImagesHelpers"]
__requires__ = {"operations": ["create_image_edit", "create_image_variation"]}


def _form(files: Dict[str, Any], fields: Dict[str, Any]) -> Dict[str, Any]:
    """The multipart body: file parts and the fields that were set (as form text)."""
    from ..errors import InvalidRequestError
    from .images import file_part

    body: Dict[str, Any] = {}
    for name, value in files.items():
        if value is not None:
            body[name] = file_part(value, name)
    for name, value in fields.items():
        if value is None:
            continue
        value = getattr(value, "root", value)
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise InvalidRequestError(
                f"{name}: expected text or a number, got {type(value).__name__}"
            )
        body[name] = str(value)
    return body


def _edit_body(image: Any, prompt: Any, mask: Any, fields: Dict[str, Any]) -> Dict[str, Any]:
    from ..errors import InvalidRequestError

    if image is None:
        raise InvalidRequestError("create_image_edit: image is required")
    if not isinstance(prompt, str) or not prompt:
        raise InvalidRequestError("create_image_edit: prompt is required (a non-empty string)")
    return _form({"image": image, "mask": mask}, {"prompt": prompt, **fields})


def _variation_body(image: Any, fields: Dict[str, Any]) -> Dict[str, Any]:
    from ..errors import InvalidRequestError

    if image is None:
        raise InvalidRequestError("create_image_variation: image is required")
    return _form({"image": image}, fields)


def _with_provider(provider: Optional[str], options: Dict[str, Any]) -> Dict[str, Any]:
    """The operation's other arguments; ``provider`` only when set (a spec may not have it)."""
    return options if provider is None else {**options, "provider": provider}


class ImagesHelpers(_SyncBase):
    """Mixin for the sync client."""

    def create_image_edit(  # type: ignore[override]
        self,
        image: FileInput,
        prompt: str,
        *,
        mask: Optional[FileInput] = None,
        model: Optional[str] = None,
        provider: Optional[str] = None,
        n: Optional[int] = None,
        size: Optional[str] = None,
        quality: Optional[str] = None,
        response_format: Optional[str] = None,
        **options: Any,
    ) -> ImagesResponse:
        """Edit an image as ``prompt`` describes (only where ``mask`` is transparent, if
        given). ``image``/``mask``: a path, bytes, a binary file or a
        ``(filename, bytes, content_type)`` tuple. ``options``: ``extra_headers``,
        ``extra_query``, ``timeout``."""
        fields = {
            "model": model,
            "n": n,
            "size": size,
            "quality": quality,
            "response_format": response_format,
        }
        body = _edit_body(image, prompt, mask, fields)
        return super().create_image_edit(body, **_with_provider(provider, options))

    def create_image_variation(  # type: ignore[override]
        self,
        image: FileInput,
        *,
        model: Optional[str] = None,
        provider: Optional[str] = None,
        n: Optional[int] = None,
        size: Optional[str] = None,
        response_format: Optional[str] = None,
        **options: Any,
    ) -> ImagesResponse:
        """Variations of an image (a path, bytes, a binary file or a
        ``(filename, bytes, content_type)`` tuple)."""
        body = _variation_body(
            image, {"model": model, "n": n, "size": size, "response_format": response_format}
        )
        return super().create_image_variation(body, **_with_provider(provider, options))


class AsyncImagesHelpers(_AsyncBase):
    """Mixin for the async client (the file is read before the request is sent)."""

    async def create_image_edit(  # type: ignore[override]
        self,
        image: FileInput,
        prompt: str,
        *,
        mask: Optional[FileInput] = None,
        model: Optional[str] = None,
        provider: Optional[str] = None,
        n: Optional[int] = None,
        size: Optional[str] = None,
        quality: Optional[str] = None,
        response_format: Optional[str] = None,
        **options: Any,
    ) -> ImagesResponse:
        """Async twin of ``InferenceGatewayClient.create_image_edit``."""
        fields = {
            "model": model,
            "n": n,
            "size": size,
            "quality": quality,
            "response_format": response_format,
        }
        body = _edit_body(image, prompt, mask, fields)
        return await super().create_image_edit(body, **_with_provider(provider, options))

    async def create_image_variation(  # type: ignore[override]
        self,
        image: FileInput,
        *,
        model: Optional[str] = None,
        provider: Optional[str] = None,
        n: Optional[int] = None,
        size: Optional[str] = None,
        response_format: Optional[str] = None,
        **options: Any,
    ) -> ImagesResponse:
        """Async twin of ``InferenceGatewayClient.create_image_variation``."""
        body = _variation_body(
            image, {"model": model, "n": n, "size": size, "response_format": response_format}
        )
        return await super().create_image_variation(body, **_with_provider(provider, options))
