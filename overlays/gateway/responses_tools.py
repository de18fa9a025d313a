"""The tool loop over the Responses API (``client.run_response_tools``).

The loop itself is ``tools.ToolLoop``; this module says what is different about Responses: the
conversation is the ``input`` list of items, tools go in its wire shape (``name`` and
``parameters`` at the top level), the answer's ``function_call`` items are the calls, every
output item goes back into ``input`` unchanged (reasoning items included), and each result is a
``function_call_output`` item naming its ``call_id``. Stateless: ``previous_response_id`` is not
used, so it works with ``store: false`` and servers that keep nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence, Tuple, Union

from ..models import Response, ResponseFunctionToolCall, ResponseInput, ResponseInputItem
from .responses_stream import response_text
from .tools import ToolAPI, ToolOutput, ToolRunner, responses_tool

__all__ = ["ResponseToolRunResult"]

#: A Responses API input item as requests take it: a ``ResponseInputItem`` or any item as a dict.
ResponseInputEntry = Union[ResponseInputItem, Dict[str, Any]]


@dataclass
class ResponseToolRunResult:
    """What ``run_response_tools`` returns: the final response and the whole ``input`` list."""

    response: Response
    input: List[ResponseInputEntry]
    rounds: int
    tool_calls: List[ResponseFunctionToolCall] = field(default_factory=list)

    @property
    def output_text(self) -> str:
        """The final response's output text."""
        return response_text(self.response)


def input_items(value: Union[ResponseInput, str, Sequence[Any]]) -> List[ResponseInputEntry]:
    """The ``input`` of ``create_response`` as a list of items (a prompt becomes a user item;
    items are models or dicts, as ``create_response`` takes them)."""
    if isinstance(value, ResponseInput):
        value = value.root
    if isinstance(value, str):
        return [{"role": "user", "content": value}]
    return list(value)


class ResponsesToolAPI(ToolAPI[ResponseToolRunResult]):
    """The Responses API's side of the tool loop."""

    conversation_argument = "input"

    def definitions(self, runner: ToolRunner) -> List[Any]:
        return [responses_tool(definition) for definition in runner.definitions]

    def requested(
        self, response: Response
    ) -> Tuple[List[Dict[str, Any]], List[ResponseFunctionToolCall]]:
        items = [getattr(item, "root", item) for item in response.output]
        calls = [item for item in items if isinstance(item, ResponseFunctionToolCall)]
        dumped = [item.model_dump(mode="json", by_alias=True, exclude_unset=True) for item in items]
        return dumped, calls

    def answers(
        self, calls: Sequence[ResponseFunctionToolCall], outputs: Sequence[ToolOutput]
    ) -> List[Dict[str, Any]]:
        return [
            {"type": "function_call_output", "call_id": call.call_id, "output": out.text}
            for call, out in zip(calls, outputs)
        ]

    def finish(
        self,
        response: Response,
        conversation: List[Any],
        rounds: int,
        executed: List[Any],
    ) -> ResponseToolRunResult:
        return ResponseToolRunResult(response, conversation, rounds, executed)
