"""Tool calls: typed arguments, tool definitions from Python functions/models, and a runner.

The runner (``client.run_tools``) is the loop every tool-using application writes: call the
model, run the tools it asked for, append the assistant message *unchanged* (so provider data
such as Gemini's ``extra_content.google.thought_signature`` is echoed back) and one ``tool``
message per call, and repeat until the model answers. The decisions live in :class:`ToolRunner`;
the sync and async drivers only differ in how they call the model and execute tools.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import typing
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Generic,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    Union,
)

import pydantic
from pydantic import BaseModel

from ..errors import InferenceGatewayError

if TYPE_CHECKING:  # asyncio, thread pools and TypeAdapter load on first use, not at import
    from concurrent.futures import ThreadPoolExecutor

    from pydantic import TypeAdapter
from ..models import (
    ChatCompletionMessageToolCall,
    ChatCompletionTool,
    CreateChatCompletionResponse,
    Message,
)

#: A message as requests take it: a `Message` or the same as a plain dict (`params.MessageParam`).
ChatTurn = Union[Message, Mapping[str, Any]]

__all__ = [
    "ToolArgumentsError",
    "ToolOutput",
    "ToolRoundsExceededError",
    "ToolRunResult",
    "ToolRunner",
    "messages_tool",
    "parse_arguments",
    "responses_tool",
    "tool_from_function",
    "tool_from_model",
]

T = TypeVar("T")
ResultT = TypeVar("ResultT")
ResponseT = TypeVar("ResponseT")
ToolSpec = Union[Callable[..., Any], Tuple[Any, Callable[..., Any]]]
#: A tool definition as the runner keeps it: a ``ChatCompletionTool`` (built from a function or
#: given in the chat shape), or another API's shape as given (``MessagesTool``, a dict).
ToolDefinition = Union[ChatCompletionTool, BaseModel, Dict[str, Any]]


class ToolArgumentsError(ValueError):
    """A tool call's arguments are not valid JSON or do not fit the expected type."""

    def __init__(self, tool: str, message: str, errors: Optional[List[Any]] = None) -> None:
        super().__init__(f"tool {tool!r}: {message}")
        self.tool = tool
        self.errors = errors or []


class ToolRoundsExceededError(InferenceGatewayError, Generic[ResponseT]):
    """The model still asked for tools after ``max_rounds`` model calls.

    ``messages`` is the conversation so far (ending with the last tool results) and
    ``response`` the last answer, whose tool calls were not executed (a
    ``CreateChatCompletionResponse`` from ``run_tools``, a ``MessagesResponse`` from
    ``run_message_tools``).
    """

    def __init__(self, max_rounds: int, messages: List[Any], response: ResponseT) -> None:
        super().__init__(
            f"the model still requested tools after {max_rounds} rounds (max_rounds); "
            "raise max_rounds or inspect .messages and .response"
        )
        self.max_rounds = max_rounds
        self.messages = messages
        self.response = response


# -- typed arguments --------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _adapter(tp: Any) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(tp)


def _function_of(call: Any) -> Tuple[str, str]:
    """(name, JSON arguments) of a chat tool call or its ``function``, a Responses
    ``function_call`` item, a Messages ``tool_use`` block (its ``input`` object), or the dict
    form of any of them."""
    if not isinstance(call, dict):
        function = getattr(call, "function", None)
        if function is not None and hasattr(function, "arguments"):
            call = function
        call = {
            "name": getattr(call, "name", None),
            "arguments": getattr(call, "arguments", None),
            "input": getattr(call, "input", None),
        }
    call = call.get("function", call)
    arguments = call.get("arguments")
    if arguments is None and call.get("input") is not None:
        arguments = json.dumps(call["input"])
    return str(call.get("name") or ""), arguments or ""


def _describe(errors: List[Any]) -> str:
    parts = []
    for error in errors:
        where = ".".join(str(p) for p in error.get("loc", ())) or "(arguments)"
        parts.append(f"{where}: {error.get('msg')}")
    return "; ".join(parts)


def parse_arguments(call: Any, tp: Type[T]) -> T:
    """A tool call's JSON arguments as ``tp`` (a Pydantic model, dataclass, TypedDict or any type
    Pydantic validates). ``call`` is the tool call or its ``function``. Raises
    :class:`ToolArgumentsError` naming the tool and each bad field."""
    name, arguments = _function_of(call)
    try:
        adapter: TypeAdapter[T] = _adapter(tp)  # type: ignore[arg-type]
        return adapter.validate_json(arguments or "{}")
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False)
        if errors and errors[0].get("type") == "json_invalid":
            raise ToolArgumentsError(
                name, f"arguments are not valid JSON ({errors[0].get('msg')}): {arguments[:200]!r}"
            ) from None
        raise ToolArgumentsError(name, f"bad arguments: {_describe(errors)}", errors) from None


# -- tool definitions -------------------------------------------------------------------------

_SECTION = re.compile(
    r"^\s*(Args|Arguments|Parameters|Params|Returns?|Raises|Yields?|Examples?|Notes?|"
    r"See Also|Attributes|Keyword Args|Keyword Arguments|Other Parameters)\s*:?\s*$"
)
_GOOGLE_PARAM = re.compile(r"^(\*{0,2}\w+)\s*(\([^)]*\))?\s*:\s*(.*)$")
_NUMPY_PARAM = re.compile(r"^(\*{0,2}\w+)\s*(:.*)?$")


_PARAM_SECTIONS = (
    "args",
    "arguments",
    "parameters",
    "params",
    "keyword args",
    "keyword arguments",
    "other parameters",
)


def _parse_docstring(doc: Optional[str]) -> Tuple[str, Dict[str, str]]:
    """(summary, {parameter: description}) from a Google- or NumPy-style docstring."""
    if not doc:
        return "", {}
    lines = inspect.cleandoc(doc).splitlines()
    summary: List[str] = []
    params: Dict[str, str] = {}
    i = 0
    while i < len(lines) and not _is_heading(lines, i):
        summary.append(lines[i])
        i += 1
    numpy = False
    in_params = False
    base: Optional[int] = None  # indent of the parameter lines of a Google section
    current: Optional[str] = None
    while i < len(lines):
        line = lines[i]
        if _is_heading(lines, i):
            heading = _SECTION.match(line)
            in_params = heading is not None and heading.group(1).lower() in _PARAM_SECTIONS
            numpy = _underlined(lines, i)
            base, current = None, None
            i += 2 if numpy else 1
            continue
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if in_params and stripped:
            if numpy and indent == 0:
                match = _NUMPY_PARAM.match(stripped)
                current = match.group(1).lstrip("*") if match else None
                if current:
                    params[current] = ""
            elif not numpy and (base is None or indent <= base):
                match = _GOOGLE_PARAM.match(stripped)
                base = indent
                current = match.group(1).lstrip("*") if match else None
                if match and current:
                    params[current] = match.group(3).strip()
            elif current is not None:
                params[current] = (params[current] + " " + stripped).strip()
        i += 1
    return "\n".join(summary).strip(), params


def _underlined(lines: List[str], i: int) -> bool:
    return i + 1 < len(lines) and set(lines[i + 1].strip()) == {"-"}


def _is_heading(lines: List[str], i: int) -> bool:
    line = lines[i]
    return bool(_SECTION.match(line)) and (line.rstrip().endswith(":") or _underlined(lines, i))


def _clean_schema(schema: Dict[str, Any]) -> Dict[str, Any]:
    """Drop Pydantic's auto titles (noise in the prompt); keep everything else."""
    schema = dict(schema)
    schema.pop("title", None)
    props = schema.get("properties")
    if isinstance(props, dict):
        schema["properties"] = {
            key: (
                {k: v for k, v in value.items() if k != "title"}
                if isinstance(value, dict)
                else value
            )
            for key, value in props.items()
        }
    schema.setdefault("type", "object")
    schema.setdefault("properties", {})
    return schema


def _make_tool(
    name: str, description: str, parameters: Dict[str, Any], strict: Optional[bool]
) -> ChatCompletionTool:
    function: Dict[str, Any] = {"name": name, "parameters": parameters}
    if description:
        function["description"] = description
    if strict is not None:
        function["strict"] = strict
    return ChatCompletionTool.model_validate({"type": "function", "function": function})


def _arguments_model(fn: Callable[..., Any]) -> Type[BaseModel]:
    """A Pydantic model of ``fn``'s parameters, descriptions taken from its docstring."""
    signature = inspect.signature(fn)
    try:
        hints = typing.get_type_hints(fn, include_extras=True)
    except (NameError, TypeError) as exc:
        raise TypeError(f"tool {fn.__name__!r}: cannot resolve its annotations ({exc})") from exc
    _, docs = _parse_docstring(fn.__doc__)
    fields: Dict[str, Any] = {}
    for pname, param in signature.parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.kind is param.POSITIONAL_ONLY:
            raise TypeError(
                f"tool {fn.__name__!r}: positional-only parameter {pname!r} cannot be passed by name"
            )
        annotation = hints.get(pname, Any)
        default = ... if param.default is param.empty else param.default
        fields[pname] = (annotation, pydantic.Field(default, description=docs.get(pname) or None))
    model: Type[BaseModel] = pydantic.create_model(
        f"{fn.__name__}_arguments", __config__=pydantic.ConfigDict(extra="ignore"), **fields
    )
    return model


def tool_from_function(
    fn: Callable[..., Any],
    *,
    name: Optional[str] = None,
    description: Optional[str] = None,
    strict: Optional[bool] = None,
) -> ChatCompletionTool:
    """A ``ChatCompletionTool`` from a function's name, signature (types, defaults) and
    docstring (summary and Google/NumPy parameter descriptions)."""
    summary, _ = _parse_docstring(fn.__doc__)
    schema = _clean_schema(_arguments_model(fn).model_json_schema())
    return _make_tool(
        name or fn.__name__, description if description is not None else summary, schema, strict
    )


def tool_from_model(
    model: Type[BaseModel],
    *,
    name: Optional[str] = None,
    description: Optional[str] = None,
    strict: Optional[bool] = None,
) -> ChatCompletionTool:
    """A ``ChatCompletionTool`` whose parameters are the model's JSON schema (name: the model's
    name in snake_case, description: its docstring)."""
    schema = _clean_schema(model.model_json_schema())
    schema.pop("description", None)
    summary, _ = _parse_docstring(model.__doc__)
    tool_name = name or re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()
    return _make_tool(
        tool_name, description if description is not None else summary, schema, strict
    )


def _chat_function(tool: Any) -> Optional[Dict[str, Any]]:
    """The ``function`` of a chat-shaped tool definition (a plain function becomes one), or
    ``None`` for anything else (already in another API's shape: sent as given)."""
    if isinstance(tool, tuple):  # (definition, implementation), as run_tools takes them
        tool = tool[0]
    if callable(tool) and not hasattr(tool, "model_dump"):
        tool = tool_from_function(tool)
    if hasattr(tool, "model_dump"):
        tool = tool.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
        return dict(tool["function"])
    return None


def responses_tool(tool: Any) -> Any:
    """A tool in the Responses API's wire shape (``name``/``parameters`` at the top level):
    plain functions and chat tool definitions (``tool_from_function``'s) are converted; other
    tools (``ResponseTool``, built-in tools) are returned as given."""
    function = _chat_function(tool)
    return tool if function is None else {"type": "function", **function}


def messages_tool(tool: Any) -> Any:
    """A tool in the Messages API's wire shape (``name``, ``description``, ``input_schema``):
    plain functions and chat tool definitions are converted; others are returned as given."""
    function = _chat_function(tool)
    if function is None:
        return tool
    out = {
        "name": function["name"],
        "input_schema": function.get("parameters") or {"type": "object"},
    }
    if function.get("description"):
        out["description"] = function["description"]
    return out


# -- the runner -------------------------------------------------------------------------------


@dataclass
class ToolRunResult:
    """What ``run_tools`` returns: the final answer and the whole conversation."""

    response: CreateChatCompletionResponse
    messages: List[ChatTurn]
    rounds: int
    tool_calls: List[ChatCompletionMessageToolCall] = field(default_factory=list)

    @property
    def message(self) -> Message:
        return self.response.choices[0].message

    @property
    def content(self) -> Optional[str]:
        content = self.message.content
        root = getattr(content, "root", content)
        return root if isinstance(root, str) else None


class ToolOutput(NamedTuple):
    """One tool call's result as the model gets it; ``is_error``: the tool failed and ``text``
    says why (``"Error: ..."``)."""

    text: str
    is_error: bool = False


@dataclass
class _Tool:
    name: str
    definition: ToolDefinition
    fn: Callable[..., Any]
    arguments: Optional[Type[BaseModel]]  # None: call fn(**json arguments) as given

    @property
    def is_async(self) -> bool:
        return inspect.iscoroutinefunction(self.fn)


def _tool_name(definition: Any) -> str:
    """The name of a chat tool definition (``function.name``) or of another API's shape
    (``name`` at the top level, as Messages and Responses tools have it)."""
    if hasattr(definition, "model_dump"):
        definition = definition.model_dump(by_alias=True)
    function = definition.get("function") if isinstance(definition, dict) else None
    name = (function if isinstance(function, dict) else definition).get("name")
    if not name:
        raise ValueError(f"tools: a tool definition has no name: {definition!r}")
    return str(name)


def _definition(definition: Any) -> ToolDefinition:
    """A ``(definition, callable)`` pair's definition: chat-shaped ones as ``ChatCompletionTool``,
    other APIs' shapes (``MessagesTool``, a Responses function tool) as given."""
    if isinstance(definition, dict) and "function" in definition:
        return ChatCompletionTool.model_validate(definition)
    if not isinstance(definition, (BaseModel, dict)):
        raise TypeError(f"tools: a tool definition must be a model or a dict, got {definition!r}")
    return definition


def _result_text(result: Any) -> str:
    if isinstance(result, str):
        return result
    if isinstance(result, BaseModel):
        return result.model_dump_json()
    try:
        return json.dumps(result, default=str)
    except (TypeError, ValueError):
        return str(result)


class ToolRunner:
    """The shared logic of the tool loop: registry, argument binding, running a call."""

    def __init__(self, tools: Sequence[ToolSpec]) -> None:
        self.tools: Dict[str, _Tool] = {}
        for spec in tools:
            if isinstance(spec, tuple):
                definition, fn = spec
                definition = _definition(definition)
                tool = _Tool(_tool_name(definition), definition, fn, None)
            elif callable(spec):
                definition = tool_from_function(spec)
                tool = _Tool(_tool_name(definition), definition, spec, _arguments_model(spec))
            else:
                raise TypeError(
                    f"tools: expected a callable or a (tool definition, callable) pair, got {spec!r}"
                )
            if tool.name in self.tools:
                raise ValueError(f"tools: two tools are named {tool.name!r}")
            self.tools[tool.name] = tool

    @property
    def definitions(self) -> List[ToolDefinition]:
        """The tools' definitions as built or given (each API's loop puts them in its shape)."""
        return [tool.definition for tool in self.tools.values()]

    def bind(self, call: Any) -> Tuple[_Tool, Dict[str, Any]]:
        """The tool a call names and its keyword arguments (raises with a message for the model)."""
        name, _ = _function_of(call)
        tool = self.tools.get(name)
        if tool is None:
            raise LookupError(f"unknown tool {name!r}; available: {', '.join(self.tools)}")
        if tool.arguments is None:
            raw = parse_arguments(call, Dict[str, Any])
            return tool, dict(raw)
        parsed = parse_arguments(call, tool.arguments)
        return tool, {key: getattr(parsed, key) for key in type(parsed).model_fields}

    @staticmethod
    def error_output(exc: BaseException) -> ToolOutput:
        return ToolOutput(f"Error: {type(exc).__name__}: {exc}", is_error=True)

    def execute(self, call: Any) -> ToolOutput:
        """Run a sync tool; any exception becomes the ``Error: ...`` result the model sees."""
        try:
            tool, kwargs = self.bind(call)
            if tool.is_async:
                raise TypeError(f"tool {tool.name!r} is async; use the async client's run_tools")
            return ToolOutput(_result_text(tool.fn(**kwargs)))
        except Exception as exc:  # the model gets the error instead of the program crashing
            return self.error_output(exc)

    async def execute_async(self, call: Any) -> ToolOutput:
        """Run a tool from the async loop (sync tools in a worker thread)."""
        import asyncio

        try:
            tool, kwargs = self.bind(call)
            if tool.is_async:
                result = await tool.fn(**kwargs)
            else:
                result = await asyncio.get_running_loop().run_in_executor(
                    None, functools.partial(tool.fn, **kwargs)
                )
            return ToolOutput(_result_text(result))
        except Exception as exc:  # the model gets the error instead of the program crashing
            return self.error_output(exc)

    def check_sync(self) -> None:
        for tool in self.tools.values():
            if tool.is_async:
                raise TypeError(
                    f"tool {tool.name!r} is a coroutine function; use the async client's tool loop"
                )


class ToolAPI(Generic[ResultT]):
    """What the tool loop does differently per API: the conversation's argument name, the
    tools' wire shape, where an answer's tool calls are, how their results go back, and what
    the loop returns."""

    conversation_argument = "messages"

    def definitions(self, runner: ToolRunner) -> List[Any]:
        raise NotImplementedError

    def requested(self, response: Any) -> Tuple[List[Any], List[Any]]:
        """(the answer's turns or items, appended to the conversation verbatim; the tool calls
        they ask for)"""
        raise NotImplementedError

    def answers(self, calls: Sequence[Any], outputs: Sequence[ToolOutput]) -> List[Any]:
        """The conversation turns that carry the calls' results back to the model."""
        raise NotImplementedError

    def finish(
        self, response: Any, conversation: List[Any], rounds: int, executed: List[Any]
    ) -> ResultT:
        raise NotImplementedError


class ChatToolAPI(ToolAPI[ToolRunResult]):
    """Chat completions: ``tool_calls`` on the assistant message, one ``tool`` message per call."""

    def definitions(self, runner: ToolRunner) -> List[Any]:
        return runner.definitions

    def requested(
        self, response: CreateChatCompletionResponse
    ) -> Tuple[List[Message], List[ChatCompletionMessageToolCall]]:
        if not response.choices:
            raise InferenceGatewayError(
                "the model returned no choices; cannot continue the tool loop"
            )
        message = response.choices[0].message
        return [message], list(message.tool_calls or [])

    def answers(
        self, calls: Sequence[ChatCompletionMessageToolCall], outputs: Sequence[ToolOutput]
    ) -> List[Message]:
        return [
            Message.model_validate({"role": "tool", "tool_call_id": call.id, "content": out.text})
            for call, out in zip(calls, outputs)
        ]

    def finish(
        self,
        response: CreateChatCompletionResponse,
        conversation: List[Any],
        rounds: int,
        executed: List[Any],
    ) -> ToolRunResult:
        return ToolRunResult(response, conversation, rounds, executed)


class ToolLoop(Generic[ResultT]):
    """The tool loop's state and decisions, shared by the sync and async loops (which only
    call the model and run the tools) and by the APIs (``api``): what to send, when to stop,
    what to append."""

    def __init__(
        self,
        api: ToolAPI[ResultT],
        tools: Sequence[ToolSpec],
        messages: Sequence[Any],
        max_rounds: int,
        options: Dict[str, Any],
    ) -> None:
        self.api = api
        self.runner = ToolRunner(tools)
        self.options = options  # the model call's other keyword arguments (``model``...)
        self.conversation: List[Any] = list(messages)
        self.executed: List[Any] = []
        self.max_rounds = max_rounds
        self.result: Optional[ResultT] = None

    def rounds(self) -> range:
        if self.max_rounds < 1:
            raise ValueError(f"max_rounds must be at least 1, got {self.max_rounds}")
        return range(1, self.max_rounds + 1)

    def request(self) -> Dict[str, Any]:
        """The keyword arguments of the next model call."""
        conversation = {self.api.conversation_argument: self.conversation}
        return dict(conversation, tools=self.api.definitions(self.runner), **self.options)

    def calls_to_run(self, round_: int, response: Any) -> List[Any]:
        """The tool calls the answer asks for; none means done (``self.result`` is set)."""
        turns, calls = self.api.requested(response)
        if calls and round_ == self.max_rounds:
            raise ToolRoundsExceededError(self.max_rounds, self.conversation, response)
        self.conversation.extend(turns)  # verbatim: keeps extra_content, signatures, unknown fields
        if not calls:
            self.result = self.api.finish(response, self.conversation, round_, self.executed)
        return calls

    def outcome(self) -> ResultT:
        if self.result is None:  # unreachable: the last round returns or raises
            raise AssertionError("the tool loop ended without an answer")
        return self.result

    def record(self, calls: List[Any], outputs: Sequence[ToolOutput]) -> None:
        self.conversation.extend(self.api.answers(calls, outputs))
        self.executed.extend(calls)


def run_tools_sync(
    create: Callable[..., Any], loop: ToolLoop[ResultT], max_workers: Optional[int]
) -> ResultT:
    """The sync tool loop over ``create`` (the client's method of the loop's API)."""
    loop.runner.check_sync()
    pool: Optional[ThreadPoolExecutor] = None
    try:
        for round_ in loop.rounds():
            calls = loop.calls_to_run(round_, create(**loop.request()))
            if not calls:
                break
            if len(calls) > 1:
                if pool is None:
                    from concurrent.futures import ThreadPoolExecutor

                    pool = ThreadPoolExecutor(max_workers=max_workers or min(8, len(calls)))
                outputs = list(pool.map(loop.runner.execute, calls))
            else:
                outputs = [loop.runner.execute(calls[0])]
            loop.record(calls, outputs)
    finally:
        if pool is not None:
            pool.shutdown(wait=False)
    return loop.outcome()


async def run_tools_async(create: Callable[..., Any], loop: ToolLoop[ResultT]) -> ResultT:
    """The async tool loop; parallel tool calls run concurrently."""
    import asyncio

    for round_ in loop.rounds():
        calls = loop.calls_to_run(round_, await create(**loop.request()))
        if not calls:
            break
        outputs = await asyncio.gather(*(loop.runner.execute_async(call) for call in calls))
        loop.record(calls, outputs)
    return loop.outcome()
