"""The top-level package is the small public surface features.py decides; internals and A2A
names stay in their modules and subpackages."""

from __future__ import annotations

from tests.generator.helpers import REPO, run_python

PUBLIC = {
    "InferenceGatewayClient", "AsyncInferenceGatewayClient",
    "InferenceGatewayError", "InferenceGatewayAPIError", "StreamError", "NotFoundError",
    "RetryConfig", "SSEvent", "ServerSentEvent",
    "EventStream", "AsyncEventStream", "Stream", "AsyncStream",
    "ChatCompletionStream", "AsyncChatCompletionStream",
    "NOT_GIVEN", "NotGiven", "Timeout",
    "tool_from_function", "ToolRunner", "parse_arguments", "split_think_tags",
    "ThinkTagSplitter", "image_part_from_file", "Message", "ImageContentPart",
}
INTERNAL = {
    "Operation", "SyncAPIClient", "AsyncAPIClient", "DEFAULT_BASE_URL", "SSEDecoder",
    "plain_data", "make_api_error", "parse_retry_after", "ChatCompletionAccumulator",
    "A2AClient", "AsyncA2AClient", "A2AError", "A2AStream", "A2AEvent",
}


def test_top_level_exports_are_the_public_surface() -> None:
    out = run_python(
        """
        import inference_gateway as ig, inference_gateway.a2a as a2a, inference_gateway.lib as lib
        assert sorted(ig.__all__) == sorted(set(ig.__all__))
        for name in ig.__all__:
            getattr(ig, name)
        print(" ".join(ig.__all__))
        print(" ".join(a2a.__all__))
        print(" ".join(lib.__all__))
        print(ig.a2a.A2AClient.__name__, ig.lib.ChatCompletionAccumulator.__name__)
        """,
        REPO / "generated",
    )
    top, sub_a2a, sub_lib, last = out.splitlines()
    exported = set(top.split())
    assert exported >= PUBLIC, sorted(PUBLIC - exported)
    assert not exported & INTERNAL, sorted(exported & INTERNAL)
    assert not [n for n in exported if "A2A" in n]
    assert {"A2AClient", "AsyncA2AClient", "A2AError"} <= set(sub_a2a.split())
    assert "ChatCompletionAccumulator" in sub_lib.split()
    assert last == "A2AClient ChatCompletionAccumulator"
