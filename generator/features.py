"""Which overlay groups, client mixins and top-level exports apply to a spec.

A feature applies when the spec has what its overlay code needs, so the same generator builds
both the gateway SDK and a client for an unrelated spec (hostile test specs, older specs).
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .ir import API


@dataclass(frozen=True)
class Mixin:
    module: str  # relative to the package: "lib._mixins_gateway"
    sync_class: str
    async_class: str


@dataclass(frozen=True)
class OverlayGroup:
    source: Path  # overlays/<group>
    target: str  # "" (package root), "lib", "a2a"


@dataclass
class Features:
    names: list[str]
    overlays: list[OverlayGroup]
    mixins: list[Mixin]
    model_exports: list[str]  # models re-exported at top level
    a2a: bool = False


# Models the SDK guide imports from the top-level package.
GATEWAY_MODEL_EXPORTS = (
    "Message",
    "MessageContent",
    "MessageRole",
    "ContentPart",
    "TextContentPart",
    "ImageContentPart",
    "ImageURL",
    "Provider",
    "ProviderAuthType",
    "ChatCompletionTool",
    "ChatCompletionToolType",
    "ChatCompletionMessageToolCall",
    "ChatCompletionMessageToolCallFunction",
    "ChatCompletionStreamOptions",
    "ChatCompletionChoice",
    "ChatCompletionStreamChoice",
    "ChatCompletionStreamResponseDelta",
    "ChatCompletionTokenLogprob",
    "FunctionObject",
    "FunctionParameters",
    "CompletionUsage",
    "CreateChatCompletionRequest",
    "CreateChatCompletionResponse",
    "CreateChatCompletionStreamResponse",
    "FinishReason",
    "ListModelsResponse",
    "Model",
    "ListToolsResponse",
    "MCPTool",
    "ReasoningFormat",
    "ToolCallExtraContent",
    "Error",
)
# The top-level public surface is decided here and nowhere else. The package root re-exports the
# clients, the models above, and the `__all__` of the overlay modules of TOP_LEVEL_GROUPS
# (runtime at the root, gateway in `lib`) except TOP_LEVEL_HIDDEN: machinery the generated code
# and the overlays use, reachable from its module, never promised at top level. Subpackages keep
# their whole `__all__` (`<pkg>.lib`, `<pkg>.a2a`); A2A names are reached through `<pkg>.a2a` only.
TOP_LEVEL_GROUPS = ("", "lib")
TOP_LEVEL_HIDDEN: dict[str, frozenset[str] | None] = {  # module -> hidden names (None: all)
    "._base_client": None,  # Operation, SyncAPIClient, AsyncAPIClient, DEFAULT_BASE_URL
    ".errors": frozenset({"make_api_error"}),
    "._retry": frozenset({"parse_retry_after", "DEFAULT_RETRYABLE_STATUS_CODES"}),
    "._sse": frozenset({"SSEDecoder", "plain_data"}),
    ".lib.chat_stream": frozenset({"ChatCompletionAccumulator", "StreamCallbacks"}),
}


def top_level_names(target: str, module: str, declared: list[str]) -> list[str]:
    """Which names of overlay `module` (in group `target`, `__all__` = `declared`) go top level."""
    if target not in TOP_LEVEL_GROUPS:
        return []
    hidden = TOP_LEVEL_HIDDEN.get(module, frozenset())
    if hidden is None:
        return []
    return [n for n in declared if n not in hidden]


GATEWAY_REQUIRED_MODELS = ("Message", "CreateChatCompletionResponse")
GATEWAY_MIXINS = (
    Mixin("lib._mixins_gateway", "GatewayHelpers", "AsyncGatewayHelpers"),
    Mixin("lib._mixins_chat", "ChatHelpers", "AsyncChatHelpers"),
)


def defined_classes(path: Path) -> set[str]:
    """Top-level class names of a Python file (parsed, never imported)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {node.name for node in tree.body if isinstance(node, ast.ClassDef)}


_ALL_ASSIGNMENT = re.compile(r"^__all__\s*(?::[^=\n]*)?=", re.MULTILINE)


def declared_all_source(source: str, filename: str) -> list[str]:
    """The literal `__all__` of module source, or [] when it has none."""
    return list(_declared_all(source, filename))


@functools.cache
def _declared_all(source: str, filename: str) -> tuple[str, ...]:
    """Only the assignment statement is parsed when a line starts with `__all__ =` (parsing
    whole overlay modules was a visible share of a cold generation); otherwise the module is."""
    match = _ALL_ASSIGNMENT.search(source)
    if match is not None:
        lines = source[match.start() :].split("\n")
        for end in range(1, min(len(lines), 400) + 1):
            try:
                tree = ast.parse("\n".join(lines[:end]), filename=filename)
            except SyntaxError:
                continue
            found = _literal_all(tree)
            if found is not None:
                return tuple(found)
            break
    return tuple(_literal_all(ast.parse(source, filename=filename)) or [])


def _literal_all(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
            value = node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
            value = node.value
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            literal = ast.literal_eval(value)
            return [str(n) for n in literal]
    return None


def uses_a2a(overlays: Path, *, a2a_available: bool) -> bool:
    """The A2A feature applies when its spec is given and its overlay group exists."""
    return a2a_available and (overlays / "a2a").is_dir()


def select(api: API, overlays: Path, *, a2a_available: bool) -> Features:
    """Decide the features for `api` given the overlay directory."""
    names = ["runtime"]
    groups = [OverlayGroup(overlays / "runtime", "")] if (overlays / "runtime").is_dir() else []
    mixins: list[Mixin] = []
    exports: list[str] = []
    has_chat = any(op.name == "createChatCompletion" for op in api.operations)
    if has_chat and all(m in api.classes for m in GATEWAY_REQUIRED_MODELS):
        names.append("gateway")
        if (overlays / "gateway").is_dir():
            groups.append(OverlayGroup(overlays / "gateway", "lib"))
        for mixin in GATEWAY_MIXINS:
            file = overlays / "gateway" / (mixin.module.split(".", 1)[1] + ".py")
            if file.is_file():
                classes = defined_classes(file)
                if mixin.sync_class in classes and mixin.async_class in classes:
                    mixins.append(mixin)
        exports = [m for m in GATEWAY_MODEL_EXPORTS if m in api.classes]
    a2a = uses_a2a(overlays, a2a_available=a2a_available)
    if a2a:
        names.append("a2a")
        groups.append(OverlayGroup(overlays / "a2a", "a2a"))
    return Features(names=names, overlays=groups, mixins=mixins, model_exports=exports, a2a=a2a)
