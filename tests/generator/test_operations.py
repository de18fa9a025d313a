"""Every operation of the bundled spec has its sync and async method with the contract's shape."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from generator import ir, pipeline
from generator.load import Spec

from .helpers import MAIN_SPEC


@pytest.fixture(scope="module")
def api() -> ir.API:
    spec = pipeline.load_spec(MAIN_SPEC)
    return ir.build(ir.prepare(spec))


def _methods(op: ir.Operation) -> List[str]:
    return [op.python_name] + ([op.stream_name] if op.stream_name else [])


def _shape(fn: Any) -> List[tuple]:
    return [(p.name, p.kind, p.default is inspect.Parameter.empty) for p in inspect.signature(fn).parameters.values()]


def test_every_operation_has_a_sync_and_an_async_method(api: ir.API) -> None:
    from inference_gateway import AsyncInferenceGatewayClient, InferenceGatewayClient
    from inference_gateway._operations import AsyncOperations, SyncOperations

    assert api.operations, "the bundled spec has operations"
    for op in api.operations:
        for name in _methods(op):
            sync_fn = getattr(SyncOperations, name)
            async_fn = getattr(AsyncOperations, name)
            assert _shape(sync_fn) == _shape(async_fn), name
            assert inspect.iscoroutinefunction(async_fn) == (name == op.python_name), name
            assert not inspect.iscoroutinefunction(sync_fn), name
            assert hasattr(InferenceGatewayClient, name) and hasattr(AsyncInferenceGatewayClient, name)
            params = list(inspect.signature(sync_fn).parameters.values())
            positional = [p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
            expected_positional = ["self"] + [p.python_name for p in op.positional]
            if op.body and not op.body.as_arguments and op.body.required:
                expected_positional.append("body")
            assert positional == expected_positional, name
            keyword = [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY]
            flattened = op.body is not None and op.body.kind == "flattened"
            extras = ["extra_headers", "extra_query"] + (["extra_body"] if flattened else []) + ["timeout"]
            assert keyword[-len(extras) :] == extras, name
            assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in params), name


def test_every_operation_has_a_module_level_descriptor(api: ir.API) -> None:
    from inference_gateway import _operations

    for op in api.operations:
        descriptor = getattr(_operations, op.constant)
        assert (descriptor.name, descriptor.method, descriptor.path) == (op.name, op.method, op.path)


def test_chat_completion_signature_matches_the_contract() -> None:
    from inference_gateway import NOT_GIVEN, InferenceGatewayClient

    sig = inspect.signature(InferenceGatewayClient.create_chat_completion)
    params = sig.parameters
    assert list(params)[:3] == ["self", "model", "messages"]
    assert params["model"].annotation == "str"
    assert params["messages"].annotation == "Sequence[Union[Message, MessageParam]]"
    assert params["provider"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["provider"].annotation == "Optional[Union[Provider, str]]"
    for name in ("tools", "max_tokens", "temperature", "reasoning_format", "stream_options"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY and params[name].default is NOT_GIVEN, name
    assert params["temperature"].annotation == "Union[Optional[float], NotGiven]"
    assert params["stream"].annotation == "Literal[False]" and params["stream"].default is False
    assert params["extra_headers"].annotation == "Optional[Mapping[str, str]]"
    assert params["extra_query"].annotation == "Optional[Mapping[str, object]]"
    assert params["extra_body"].annotation == "Optional[Mapping[str, object]]"
    assert params["timeout"].annotation == "Union[float, httpx.Timeout, NotGiven, None]"
    assert list(params)[-4:] == ["extra_headers", "extra_query", "extra_body", "timeout"]
    assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in params.values())
    assert sig.return_annotation == "CreateChatCompletionResponse"
    stream = inspect.signature(InferenceGatewayClient.create_chat_completion_stream)
    assert stream.return_annotation == "EventStream"
    assert [p for p in stream.parameters] == [p for p in params if p != "stream"]


def test_chat_stream_twin_sends_stream_true_and_plain_method_omits_it() -> None:
    from pathlib import Path

    import inference_gateway._operations as ops

    source = Path(ops.__file__).read_text()
    plain = source.split("def create_chat_completion(")[1].split("def create_chat_completion_stream(")[0]
    twin = source.split("def create_chat_completion_stream(")[1].split("\n    def ")[0]
    assert '"stream"' not in plain
    assert '"stream": True' in twin
    assert ops._OP_CREATE_CHAT_COMPLETION.stream_done_sentinel == "[DONE]"


def test_guide_models_are_top_level_and_enums_are_root_models() -> None:
    import inference_gateway as ig

    for name in ("Message", "TextContentPart", "ImageContentPart", "ImageURL", "Provider", "MessageRole"):
        assert getattr(ig, name).__module__ == "inference_gateway.models", name
    message = ig.Message(role="user", content="x")
    assert message.content is not None and message.content.root == "x"
    assert message.role.root == "user"
    model = ig.models.Model.model_validate(
        {"id": "openai/gpt-4o", "object": "model", "created": 1, "owned_by": "openai", "served_by": "openai"}
    )
    assert model.served_by.root == "openai"


def _sentinel(path: str, op_id: str, op_ext: Dict[str, Any], media_ext: Dict[str, Any]) -> Optional[str]:
    media: Dict[str, Any] = {"schema": {"type": "string"}, **media_ext}
    op: Dict[str, Any] = {
        "operationId": op_id,
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"stream": {"type": "boolean"}}}
                }
            }
        },
        "responses": {"200": {"description": "ok", "content": {"text/event-stream": media}}},
        **op_ext,
    }
    data = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {path: {"post": op}}}
    api = ir.build(ir.prepare(Spec(path=Path("t.yaml"), display="t.yaml", data=data)))
    (operation,) = api.operations
    return operation.stream_done_sentinel


@pytest.mark.parametrize(
    "path, op_id, op_ext, media_ext, expected",
    [
        # OpenAI chat-completions shape: [DONE] without any extension
        ("/v1/chat/completions", "anything", {}, {}, "[DONE]"),
        ("/v1/completions", "legacy", {}, {}, "[DONE]"),
        ("/v2/chat", "createChatCompletion", {}, {}, "[DONE]"),
        # Responses API, Anthropic Messages: a stream flag alone, the clean end is the end
        ("/v1/responses", "createResponse", {}, {}, None),
        ("/v1/messages", "createMessage", {}, {}, None),
        # the spec decides: media type first, then the operation; null means no sentinel
        ("/v1/responses", "createResponse", {}, {"x-sse-done-sentinel": "[END]"}, "[END]"),
        ("/v1/responses", "createResponse", {"x-stream-done": "[DONE]"}, {}, "[DONE]"),
        ("/v1/chat/completions", "createChatCompletion", {"x-stream-done": None}, {}, None),
        ("/v1/chat/completions", "c", {}, {"x-stream-done": None}, None),
    ],
)
def test_done_sentinel_rule(
    path: str, op_id: str, op_ext: Dict[str, Any], media_ext: Dict[str, Any], expected: Optional[str]
) -> None:
    assert _sentinel(path, op_id, op_ext, media_ext) == expected
