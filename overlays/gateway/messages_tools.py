"""The tool loop over the Messages API (``client.run_message_tools``).

The loop itself is ``tools.ToolLoop``; this module says what is different about Messages: tools
go in its wire shape (``name``, ``input_schema``), the answer's ``tool_use`` blocks are the
calls, the answer goes back as an ``assistant`` turn with every block unchanged (thinking
signatures included, as Anthropic requires), and the results as one ``user`` turn of
``tool_result`` blocks (``is_error`` set for a tool that failed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Sequence, Tuple, Union

from ..errors import InferenceGatewayError
from ..models import MessagesMessage, MessagesResponse, MessagesTextBlock, MessagesToolUseBlock
from .tools import ToolAPI, ToolOutput, ToolRunner, messages_tool

__all__ = ["MessageToolRunResult"]

#: A Messages API turn as requests take it: a ``MessagesMessage`` or the same as a plain dict.
MessagesTurn = Union[MessagesMessage, Dict[str, Any]]


@dataclass
class MessageToolRunResult:
    """What ``run_message_tools`` returns: the final message and the whole conversation."""

    response: MessagesResponse
    messages: List[MessagesTurn]
    rounds: int
    tool_calls: List[MessagesToolUseBlock] = field(default_factory=list)

    @property
    def content(self) -> str:
        """The final message's text blocks, joined."""
        return "".join(
            block.root.text
            for block in self.response.content
            if isinstance(block.root, MessagesTextBlock)
        )


class MessagesToolAPI(ToolAPI[MessageToolRunResult]):
    """The Messages API's side of the tool loop."""

    def definitions(self, runner: ToolRunner) -> List[Any]:
        return [messages_tool(definition) for definition in runner.definitions]

    def requested(
        self, response: MessagesResponse
    ) -> Tuple[List[MessagesMessage], List[MessagesToolUseBlock]]:
        blocks = [block.root for block in response.content]
        calls = [block for block in blocks if isinstance(block, MessagesToolUseBlock)]
        if calls and response.stop_reason == "max_tokens":
            raise InferenceGatewayError(
                "the answer was cut at max_tokens inside a tool call (stop_reason 'max_tokens'); "
                "raise max_tokens"
            )
        turn = MessagesMessage.model_validate(
            {
                "role": "assistant",
                "content": [
                    b.model_dump(mode="json", by_alias=True, exclude_unset=True) for b in blocks
                ],
            }
        )
        return [turn], calls

    def answers(
        self, calls: Sequence[MessagesToolUseBlock], outputs: Sequence[ToolOutput]
    ) -> List[MessagesMessage]:
        results = []
        for call, out in zip(calls, outputs):
            result: Dict[str, Any] = {
                "type": "tool_result",
                "tool_use_id": call.id,
                "content": out.text,
            }
            if out.is_error:
                result["is_error"] = True
            results.append(result)
        return [MessagesMessage.model_validate({"role": "user", "content": results})]

    def finish(
        self,
        response: MessagesResponse,
        conversation: List[Any],
        rounds: int,
        executed: List[Any],
    ) -> MessageToolRunResult:
        return MessageToolRunResult(response, conversation, rounds, executed)
