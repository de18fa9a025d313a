"""Which overlay modules, client mixins and top-level exports apply to a spec, and what the
clients are called.

An overlay module's needs are read with `ast` (it is never imported): the models it imports from
the models module (`..models`, the main spec; for a group with a spec of its own, such as `a2a`,
that spec's `.models`), at module level or inside functions, and what its module-level literal
declares besides, chiefly the generated client methods it calls:

    __requires__ = {"operations": ["create_chat_completion"], "models": [...]}

A module is laid in when the spec provides all of that and every overlay module it imports (at
any depth, lazily or not) is laid in too; otherwise it is left out with its exports and mixins,
and the summary says why. A group with a spec of its own is one feature: all of its modules or
none. So the same generator builds the gateway SDK and a client of its own for an unrelated
spec, and no accepted spec yields a package that fails to import.
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import names as names_mod
from .ir import API
from .write import OutFile, WriteError


@dataclass(frozen=True)
class Mixin:
    module: str  # relative to the package: "lib._mixins_chat"
    sync_class: str
    async_class: str


@dataclass(frozen=True)
class OverlayGroup:
    source: Path  # overlays/<group>
    target: str  # "" (package root), "lib", "a2a"
    files: frozenset[str] = frozenset()  # paths in the group that are laid in


@dataclass(frozen=True)
class ClientIdentity:
    """The generated clients' names and default base URL (None: the spec names no server)."""

    sync_name: str
    async_name: str
    default_base_url: str | None


@dataclass
class Features:
    names: list[str]
    overlays: list[OverlayGroup]
    mixins: list[Mixin]
    model_exports: list[str]  # models re-exported at top level
    client: ClientIdentity
    a2a: bool = False
    left_out: list[str] = field(default_factory=list)  # "lib/vision.py left out: ..." notes


# Overlay group directory -> package subdirectory it is laid into; groups with a spec of their own.
GROUP_TARGETS = {"runtime": "", "gateway": "lib", "a2a": "a2a"}
GROUPS_WITH_SPEC = frozenset({"a2a"})


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


def declared_all_source(source: str, filename: str) -> list[str]:
    """The literal `__all__` of module source, or [] when it has none."""
    return list(_declared_all(source, filename))


@functools.cache
def _declared_all(source: str, filename: str) -> tuple[str, ...]:
    found = _literal_assignment(source, filename, "__all__")
    if found is None:  # not a plain `__all__ = [...]` line: read the whole module
        found = _literal_of(ast.parse(source, filename=filename).body, "__all__")
    return tuple(str(n) for n in found[0]) if found is not None else ()


def declared_requires(source: str, filename: str) -> tuple[frozenset[str], frozenset[str]]:
    """(models, operations) of a module's literal `__requires__`; empty when it has none."""
    found = _literal_assignment(source, filename, "__requires__")
    if found is None:
        return frozenset(), frozenset()
    value, line = found
    if not isinstance(value, dict) or set(value) - {"models", "operations"}:
        raise WriteError(
            f'{filename}:{line}: __requires__ must be a dict with keys "models" and/or "operations"'
        )
    return frozenset(value.get("models", ())), frozenset(value.get("operations", ()))


def _literal_assignment(source: str, filename: str, name: str) -> tuple[Any, int] | None:
    """(value, line) of a top-level `name = <literal>` statement. Only that statement is parsed
    (parsing whole overlay modules was a visible share of a cold generation)."""
    match = re.search(rf"^{name}\s*(?::[^=\n]*)?=", source, re.MULTILINE)
    if match is None:
        return None
    line = source.count("\n", 0, match.start()) + 1
    lines = source[match.start() :].split("\n")
    for end in range(1, min(len(lines), 400) + 1):
        try:
            tree = ast.parse("\n".join(lines[:end]), filename=filename)
        except SyntaxError:
            continue
        found = _literal_of(tree.body, name, filename, line)
        return found if found is None else (found[0], line)
    return None


def _literal_of(
    body: list[ast.stmt], name: str, filename: str = "", line: int = 0
) -> tuple[Any, int] | None:
    for node in body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            try:
                return ast.literal_eval(value), node.lineno
            except ValueError as exc:
                at = line or node.lineno
                raise WriteError(f"{filename}:{at}: {name} must be a literal") from exc
    return None


# A relative import statement at the start of a line (any indentation: lazy imports count).
_RELATIVE_IMPORT = re.compile(
    r"^[ \t]*(from[ \t]+\.[\w.]*[ \t]+import[ \t]+(?:\([^)]*\)|[^\n]*))", re.MULTILINE
)


def _relative_imports(source: str, filename: str, package: str) -> Iterator[tuple[str, list[str]]]:
    """(absolute module inside the generated package, imported names) of every relative import
    in the module, function-level ones too; `package` is the module's own package. The import
    statements are parsed alone, not the module (see `_literal_assignment`)."""
    for match in _RELATIVE_IMPORT.finditer(source):
        try:
            statement = ast.parse(match.group(1), filename=filename).body[0]
        except SyntaxError:
            continue  # text in a string that looks like an import
        assert isinstance(statement, ast.ImportFrom)
        parts = package.split(".") if package else []
        if statement.level > 1:
            parts = parts[: len(parts) - (statement.level - 1)]
        base = ".".join(parts + ([statement.module] if statement.module else []))
        imported = [alias.name for alias in statement.names]
        if statement.module:
            yield base, imported
        else:  # `from . import x`: x may be a module
            for name in imported:
                yield ".".join(p for p in (base, name) if p), []


@dataclass
class _Module:
    group: str
    rel: str  # path inside the group
    module: str  # dotted path inside the package: "lib.vision"
    models: frozenset[str]
    operations: frozenset[str]
    imports: list[str]  # overlay modules (dotted) it imports


def _overlay_modules(overlay_files: Mapping[str, Mapping[str, OutFile]]) -> dict[str, _Module]:
    """Every Python overlay module of the known groups, with its requirements (declared, and
    the names it imports from the models module) and the overlay modules it imports."""
    found: dict[str, _Module] = {}
    for group, files in overlay_files.items():
        if group not in GROUP_TARGETS:
            continue
        target = GROUP_TARGETS[group]
        for rel, file in files.items():
            if not rel.endswith(".py") or file.text is None:
                continue
            dotted = ".".join(p for p in (target, rel[:-3].replace("/", ".")) if p)
            package = dotted.rpartition(".")[0]
            models, operations = declared_requires(file.text, file.source)
            imports: list[str] = []
            models_module = "a2a.models" if group in GROUPS_WITH_SPEC else "models"
            for module, imported in _relative_imports(file.text, file.source, package):
                if module == models_module:
                    models |= set(imported)
                imports.append(module)
            found[dotted] = _Module(group, rel, dotted, models, operations, imports)
    return found


def _method_names(api: API) -> set[str]:
    methods = {op.python_name for op in api.operations}
    return methods | {op.stream_name for op in api.operations if op.stream_name}


def _missing(module: _Module, classes: Collection[str], methods: Collection[str]) -> list[str]:
    """What `module` declares that the spec lacks: class names and `operation()`s."""
    models = sorted(m for m in module.models if m not in classes)
    return models + sorted(f"{o}()" for o in module.operations if o not in methods)


def _lacks(missing: Collection[str], limit: int = 6) -> str:
    names = sorted(missing)
    shown = ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")
    return f"the spec has no {shown}"


@dataclass
class _Gate:
    """Which overlay modules are left out and why."""

    reasons: dict[str, str]  # module (dotted) -> why it is left out
    missing: dict[str, list[str]]  # module -> what the spec lacks of its own requirements

    def notes(self, modules: Mapping[str, _Module], groups_out: Collection[str]) -> list[str]:
        """One line per left-out module; one per group left out whole (its modules' lacks)."""
        lines = [
            f"{GROUP_TARGETS[g]}/ left out: "
            + _lacks({n for d, m in modules.items() if m.group == g for n in self.missing.get(d, [])})
            for g in sorted(groups_out)
        ]
        lines += [
            f"{_path(modules[d])} left out: {reason}"
            for d, reason in sorted(self.reasons.items())
            if modules[d].group not in groups_out
        ]
        return lines


def _gate(
    modules: dict[str, _Module], api: API, spec_classes: Mapping[str, Collection[str]]
) -> _Gate:
    methods = _method_names(api)
    gate = _Gate(reasons={}, missing={})
    for dotted, module in modules.items():
        missing = _missing(module, spec_classes.get(module.group, api.classes), methods)
        if missing:
            gate.missing[dotted] = missing
            gate.reasons[dotted] = _lacks(missing)
    out = gate.reasons
    changed = True
    while changed:  # a module that imports a left-out module is left out too
        changed = False
        for dotted, module in modules.items():
            gone = next((m for m in module.imports if m in out and m in modules), None)
            if dotted not in out and gone is not None:
                out[dotted] = f"it needs {_path(modules[gone])}, left out"
                changed = True
    for group in GROUPS_WITH_SPEC:  # all or nothing
        members = [d for d, m in modules.items() if m.group == group]
        first = next((d for d in members if d in out), None)
        if first is not None:
            for dotted in members:
                out.setdefault(dotted, f"{_path(modules[first])} is left out")
    return gate


def _path(module: _Module) -> str:
    target = GROUP_TARGETS[module.group]
    return "/".join(p for p in (target, module.rel) if p)


def _mixin(module: str, overlay: OutFile) -> Mixin:
    """The client mixin pair a `_mixins_*` module declares in `__all__`: `X` and `AsyncX` (`X`
    written in the module or by the generator as `AsyncX`'s blocking twin, unasync.py)."""
    source, filename = overlay.text or "", overlay.source
    declared = declared_all_source(source, filename)
    sync = [n for n in declared if not n.startswith("Async")]
    defined = defined_classes_source("\n".join([source, *overlay.appended]))
    if len(sync) != 1 or f"Async{sync[0]}" not in declared or not set(declared) <= defined:
        raise WriteError(
            f"{filename}: a client mixin module must define and list in __all__ exactly two "
            f"classes, X and AsyncX (found {declared})"
        )
    return Mixin(module, sync[0], f"Async{sync[0]}")


def defined_classes_source(source: str) -> set[str]:
    """Names of the classes a module defines at top level (a line starting with `class`)."""
    return set(re.findall(r"^class[ \t]+(\w+)", source, re.MULTILINE))


def uses_a2a(overlays: Path, *, a2a_available: bool) -> bool:
    """Whether the A2A spec must be loaded: it is given and its overlay group exists (the
    group may still be left out by `select`)."""
    return a2a_available and (overlays / "a2a").is_dir()


def select(
    api: API,
    overlays: Path,
    overlay_files: Mapping[str, Mapping[str, OutFile]],
    *,
    a2a_classes: Collection[str] | None,
    client: ClientIdentity,
) -> Features:
    """Decide the features for `api`; `a2a_classes` are the A2A spec's classes (None: no spec)."""
    present = {g: files for g, files in overlay_files.items() if g in GROUP_TARGETS}
    if a2a_classes is None:
        present.pop("a2a", None)
    modules = _overlay_modules(present)
    gate = _gate(modules, api, {"a2a": a2a_classes or ()})
    kept_modules = {d: m for d, m in modules.items() if d not in gate.reasons}
    dropped = {(modules[d].group, modules[d].rel) for d in gate.reasons}
    groups: list[OverlayGroup] = []
    for group in GROUP_TARGETS:  # in this order: runtime, gateway, a2a
        if group not in present:
            continue
        if group != "runtime" and not any(m.group == group for m in kept_modules.values()):
            continue  # nothing of it applies (py.typed and other data files go with it)
        kept = frozenset(rel for rel in present[group] if (group, rel) not in dropped)
        groups.append(OverlayGroup(overlays / group, GROUP_TARGETS[group], kept))
    names = [g.source.name for g in groups]
    mixins = [
        _mixin(d, present[m.group][m.rel])
        for d, m in sorted(kept_modules.items())
        if m.rel.rpartition("/")[2].startswith("_mixins")
    ]
    exports = [m for m in GATEWAY_MODEL_EXPORTS if m in api.classes] if "gateway" in names else []
    groups_out = {m.group for m in modules.values()} - set(names)
    return Features(
        names=names,
        overlays=groups,
        mixins=mixins,
        model_exports=exports,
        client=client,
        a2a="a2a" in names,
        left_out=gate.notes(modules, groups_out),
    )


_TRAILING_WORDS = ("api", "rest", "service", "openapi", "spec")


def client_identity(data: Mapping[str, Any], title: str, override: str | None) -> ClientIdentity:
    """`--client-name` when given, else the spec title's words before any subtitle, without
    trailing generic words (`Swagger Petstore - OpenAPI 3.0` -> `SwaggerPetstoreClient`,
    `Inference Gateway API` -> `InferenceGatewayClient`); the async twin is `Async<name>`. The
    default base URL comes from the spec's servers (`default_base_url`)."""
    if override:
        if not override.isidentifier() or keyword.iskeyword(override):
            raise WriteError(f"--client-name {override!r} is not a valid Python class name")
        sync = override
    else:
        main_title = re.split(r"\s[-:|(\u2013\u2014]\s*|[(:]", title, maxsplit=1)[0]  # subtitle
        parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+", names_mod.pascal_case(main_title))
        while len(parts) > 1 and parts[-1].lower() in _TRAILING_WORDS:
            parts.pop()
        stem = "".join(parts)
        if not stem or stem.upper() == "API":
            stem = "Api"  # never `APIClient`/`AsyncAPIClient`, the runtime's base classes
        elif stem[0].isdigit():
            stem = "Api" + stem
        sync = stem if stem.endswith("Client") else stem + "Client"
    taken = names_mod.RESERVED_CLASS_NAMES - {"InferenceGatewayClient", "AsyncInferenceGatewayClient"}
    if sync in taken or "Async" + sync in taken:
        raise WriteError(f"client name {sync!r} would shadow a name the generated code uses")
    return ClientIdentity(sync, "Async" + sync, default_base_url(data))


_VERSION = re.compile(r"^/v\d+(?=/|$)")


def default_base_url(data: Mapping[str, Any]) -> str | None:
    """The URL a client uses when none is given, from the first absolute server URL (variables
    at their defaults): a URL of the same origin that ends in an API version when the spec lists
    one (`http://localhost:8080` and `http://localhost:8080/v1`: the latter, what gateway users
    pass); else the first URL plus the `/v<N>` prefix at least half the paths share (the runtime
    serves paths outside it from the root); else the first URL; None without one."""
    urls = [u for u in (_server_url(s) for s in data.get("servers") or []) if u is not None]
    if not urls:
        return None
    origin = urlsplit(urls[0])[:2]
    for url in urls:
        parts = urlsplit(url)
        if parts[:2] == origin and _VERSION.search("/" + parts.path.rpartition("/")[2]):
            return url
    prefixes = [
        match.group(0)
        for path in (data.get("paths") or {})
        if isinstance(path, str) and (match := _VERSION.match(path)) is not None
    ]
    base = urls[0]
    if prefixes and len(prefixes) * 2 >= len(data.get("paths") or {}):
        common = max(set(prefixes), key=prefixes.count)
        return base + common
    return base


def _server_url(server: Any) -> str | None:
    if not isinstance(server, dict) or not isinstance(server.get("url"), str):
        return None
    url: str = server["url"]
    for name, variable in (server.get("variables") or {}).items():
        if isinstance(variable, dict) and "default" in variable:
            url = url.replace("{" + str(name) + "}", str(variable["default"]))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "{" in url:
        return None
    return url.rstrip("/")
