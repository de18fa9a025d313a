"""The bundled spec describes the gateway's published contract (``../shared/upstream``).

Fact by fact: every operation at its effective URL, every parameter, schema, property and enum
value of the contract is in ``specs/openapi.yaml``; where the two differ on purpose (kept
endpoints, tolerance for what servers really send) the difference is exactly the one listed
here and in docs/spec-bumps.md, so a new difference fails until it is written down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator, Mapping, Set, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
OURS = ROOT / "specs" / "openapi.yaml"
CONTRACT = ROOT.parent / "shared" / "upstream" / "gateway-openapi-2026-08.yaml"
METHODS = ("get", "put", "post", "delete", "patch")

# Kept although the contract dropped them (the seeds document them); deprecated in our spec.
KEPT_OPERATIONS = {"listAgents", "getAgent"}
# Schemas only we have: the A2A endpoints' models, and stable names for what the contract
# leaves inline (or, for ProviderRequest, spells out as an example chat body).
OUR_SCHEMAS = {
    "A2AAgentCapabilities",
    "A2AAgentSkill",
    "A2AAgentCard",
    "ListAgentsResponse",
    "ProviderRequest",
    "Google",
    "ChatCompletionChoiceLogprobs",
    "ChatCompletionStreamChoiceLogprobs",
    "ChatCompletionTokenLogprobTopLogprobsItem",
    "ChatCompletionMessageToolCallChunkFunction",
    # Responses input items besides messages (function_call_output, output items sent back).
    "ResponseInputOtherItem",
}
# Proxy bodies stay any JSON object (`ProviderRequest`); the contract shows a chat body there.
FREE_FORM_BODIES = {"proxyPost", "proxyPut", "proxyPatch"}
# The contract's gateway-configuration description (only `x-config`): not part of the HTTP API.
LEFT_OUT_SCHEMAS = {"Config"}
# (schema, property) the contract requires and we do not: servers really leave them out.
NOT_REQUIRED = {
    ("Message", "content"),
    ("Model", "served_by"),
    ("ChatCompletionChoice", "finish_reason"),
    ("ChatCompletionStreamChoice", "finish_reason"),
    ("ChatCompletionStreamResponseDelta", "content"),
    ("ChatCompletionStreamResponseDelta", "role"),
    ("ChatCompletionTokenLogprob", "bytes"),
    ("ChatCompletionTokenLogprob", "top_logprobs"),
    ("ChatCompletionTokenLogprob.top_logprobs[]", "bytes"),
    ("ChatCompletionChoice.logprobs", "content"),
    ("ChatCompletionChoice.logprobs", "refusal"),
    ("ChatCompletionStreamChoice.logprobs", "content"),
    ("ChatCompletionStreamChoice.logprobs", "refusal"),
    ("MessagesThinkingBlock", "signature"),
    ("MessagesUsage", "input_tokens"),
}
# (schema, property) we have and the contract does not.
OUR_PROPERTIES = {
    ("MCPTool", "inputSchema"),
    ("SSEvent", "id"),
    ("CreateChatCompletionResponse", "system_fingerprint"),
    ("FunctionParameters", "type"),
    ("FunctionParameters", "properties"),
    ("FunctionParameters", "required"),
}

# (schema, property) whose type differs on purpose: base64 `data` is plain text on the wire,
# stream chunks carry pieces of a tool call, and an `error` event holds the inner error.
OUR_TYPES = {
    ("SSEvent", "data"),
    ("ChatCompletionMessageToolCallChunk", "function"),
    ("MessagesStreamEvent", "error"),
}
_FACT_KEYS = ("format", "minimum", "maximum", "minItems", "maxItems")


def _load(path: Path) -> Dict[str, Any]:
    if not path.exists():
        pytest.fail(f"the gateway contract is missing: {path} (CI has shared/ beside the checkout)")
    data: Dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def ours() -> Dict[str, Any]:
    return _load(OURS)


@pytest.fixture(scope="module")
def contract() -> Dict[str, Any]:
    return _load(CONTRACT)


def _server_paths(spec: Mapping[str, Any]) -> Dict[str, str]:
    """tag -> path prefix of the server whose `x-server-tags` names it (the contract's layout)."""
    prefixes: Dict[str, str] = {}
    for server in spec.get("servers") or []:
        path = "/" + server["url"].split("://", 1)[-1].partition("/")[2]
        for tag in server.get("x-server-tags") or []:
            prefixes.setdefault(tag, path.rstrip("/"))
    return prefixes


def _operations(spec: Mapping[str, Any]) -> Dict[str, Tuple[str, str, Dict[str, Any]]]:
    """operationId -> (METHOD, effective path, operation). Tags no server names (MCP, Metrics)
    live under `/v1` with the rest of the versioned API, as the gateway serves them."""
    prefixes = _server_paths(spec)
    found = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or [""])[0]
                prefix = prefixes.get(tag, "/v1") if prefixes else ""
                found[op["operationId"]] = (method.upper(), prefix + path, {**op, "_item": item})
    return found


def resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow `$ref`s (local ones) to the schema or object they name."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _parameters(spec: Mapping[str, Any], op: Mapping[str, Any]) -> Dict[Tuple[str, str], Dict[str, Any]]:
    params = list(op["_item"].get("parameters") or []) + list(op.get("parameters") or [])
    resolved = [resolve(spec, p) for p in params]
    return {(p["in"], p["name"]): p for p in resolved}


def test_every_operation_of_the_contract_at_the_same_url(ours: Dict[str, Any], contract: Dict[str, Any]) -> None:
    mine, theirs = _operations(ours), _operations(contract)
    assert set(mine) - set(theirs) == KEPT_OPERATIONS
    assert set(theirs) <= set(mine)
    for op_id, (method, path, _) in theirs.items():
        assert mine[op_id][:2] == (method, path), op_id
    for op_id in KEPT_OPERATIONS:
        assert mine[op_id][2].get("deprecated") is True, op_id


def test_every_parameter_and_body_media_type(ours: Dict[str, Any], contract: Dict[str, Any]) -> None:
    mine, theirs = _operations(ours), _operations(contract)
    for op_id, (_, _, op) in theirs.items():
        ours_op = mine[op_id][2]
        mine_params, their_params = _parameters(ours, ours_op), _parameters(contract, op)
        assert set(mine_params) == set(their_params), op_id
        for key, param in their_params.items():
            for fact in ("required", "style", "explode"):
                assert mine_params[key].get(fact) == param.get(fact), (op_id, key, fact)
            assert _schema_facts(ours, mine_params[key]["schema"]) == _schema_facts(contract, param["schema"])
        their_body = resolve(contract, op.get("requestBody")) or {}
        our_body = resolve(ours, ours_op.get("requestBody")) or {}
        assert list(our_body.get("content") or {}) == list(their_body.get("content") or {}), op_id
        for media, their_media in (their_body.get("content") or {}).items():
            if op_id in FREE_FORM_BODIES:
                continue
            their_schema = resolve(contract, their_media["schema"])
            our_schema = resolve(ours, our_body["content"][media]["schema"])
            assert set(our_schema.get("required") or []) == set(their_schema.get("required") or []), op_id
            their_props = their_schema.get("properties") or {}
            assert set(our_schema.get("properties") or {}) == set(their_props), (op_id, media)
            for prop, schema in their_props.items():
                ours_prop = our_schema["properties"][prop]
                assert (_type_facts(ours, ours_prop), _enum_values(ours, ours_prop)) == (
                    _type_facts(contract, schema),
                    _enum_values(contract, schema),
                ), (op_id, media, prop)
        assert bool(our_body.get("required")) == bool(their_body.get("required")), op_id
        for code, response in (op.get("responses") or {}).items():
            if str(code).startswith("2"):
                their_media = set(resolve(contract, response).get("content") or {})
                our_media = set(resolve(ours, ours_op["responses"][code]).get("content") or {})
                assert our_media == their_media, (op_id, code)


def _schema_facts(spec: Mapping[str, Any], schema: Any) -> Tuple[Any, ...]:
    """Type, enum values (of open enums too) and item facts of a parameter schema."""
    schema = resolve(spec, schema)
    values: Set[str] = set()
    for variant in [schema, *(schema.get("anyOf") or [])]:
        values.update(resolve(spec, variant).get("enum") or [])
    items = schema.get("items")
    return (schema.get("type", "string"), frozenset(values), _schema_facts(spec, items) if items else None)


def _named_copy(spec: Mapping[str, Any], schema: Any) -> Any:
    """Our named copy of what the contract leaves inline (`$ref`, maybe `anyOf` with null), inlined."""
    if not isinstance(schema, dict):
        return schema
    refs = [schema] + [v for v in schema.get("anyOf") or [] if isinstance(v, dict)]
    for node in refs:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in OUR_SCHEMAS:
            return resolve(spec, node)
    return schema


def _object_schemas(spec: Mapping[str, Any], name: str, schema: Any) -> Iterator[Tuple[str, Dict[str, Any]]]:
    """(dotted name, schema) of a component schema and of every inline object inside it."""
    schema = _named_copy(spec, schema)
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    yield name, schema
    for key, prop in (schema.get("properties") or {}).items():
        yield from _object_schemas(spec, f"{name}.{key}", prop)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _object_schemas(spec, f"{name}[]", schema[key])
    for key in ("oneOf", "anyOf", "allOf"):
        for index, variant in enumerate(schema.get(key) or []):
            yield from _object_schemas(spec, f"{name}|{index}", variant)


def _all_schemas(spec: Mapping[str, Any]) -> Dict[str, Dict[str, Any]]:
    found: Dict[str, Dict[str, Any]] = {}
    for name, schema in spec["components"]["schemas"].items():
        if name not in OUR_SCHEMAS:
            found.update(_object_schemas(spec, name, schema))
    return found


def _enum_values(spec: Mapping[str, Any], schema: Any) -> Set[Any]:
    schema = resolve(spec, schema)
    values = set(schema.get("enum") or [])
    for variant in schema.get("anyOf") or []:
        values |= _enum_values(spec, variant)
    return values - {None}


def test_every_schema_property_and_enum_value(ours: Dict[str, Any], contract: Dict[str, Any]) -> None:
    mine_top = set(ours["components"]["schemas"])
    theirs_top = set(contract["components"]["schemas"])
    assert theirs_top - mine_top == LEFT_OUT_SCHEMAS
    assert mine_top - theirs_top == OUR_SCHEMAS
    mine, theirs = _all_schemas(ours), _all_schemas(contract)
    extra_properties: Set[Tuple[str, str]] = set()
    for name, schema in theirs.items():
        if name.split(".")[0].split("|")[0] in LEFT_OUT_SCHEMAS:
            continue
        assert name in mine, f"{name}: the contract has this schema, the bundled spec does not"
        our = mine[name]
        their_props, our_props = set(schema.get("properties") or {}), set(our.get("properties") or {})
        assert their_props <= our_props, (name, their_props - our_props)
        extra_properties |= {(name, p) for p in our_props - their_props}
        for prop in their_props:
            theirs_enum = _enum_values(contract, schema["properties"][prop])
            ours_enum = _enum_values(ours, our["properties"][prop])
            assert theirs_enum <= ours_enum, (name, prop, theirs_enum - ours_enum)
        assert _enum_values(contract, schema) <= _enum_values(ours, our), name
    assert extra_properties == OUR_PROPERTIES


def _type_facts(spec: Mapping[str, Any], node: Any, default: Any = None) -> Tuple[Any, ...]:
    """What a property schema says about values, nullability aside: type (or the named schema),
    format, bounds, default, items. Open enums (`anyOf` of a string enum and a string) are
    strings; `additionalProperties: true` is what an object allows anyway."""
    node = _named_copy(spec, node)
    if not isinstance(node, dict):
        return ()
    if isinstance(node.get("$ref"), str):
        return ("ref", node["$ref"].rsplit("/", 1)[-1])
    default = node.get("default", default)
    variants = node.get("anyOf") or node.get("oneOf")
    if variants:
        kinds = []
        for variant in variants:
            fact = _type_facts(spec, variant, default)
            if fact != ("null",) and fact not in kinds:
                kinds.append(fact)
        return kinds[0] if len(kinds) == 1 else ("union", *sorted(map(str, kinds)))
    kind = node.get("type")
    if kind == "null":
        return ("null",)
    if isinstance(kind, list):
        kind = "|".join(k for k in kind if k != "null")
    items = _type_facts(spec, node["items"]) if "items" in node else None
    extra = node.get("additionalProperties")
    extra_fact = None if extra in (None, True) else _type_facts(spec, extra)
    return (kind, *(node.get(k) for k in _FACT_KEYS), default, items, extra_fact)


def test_every_property_has_the_contracts_type(ours: Dict[str, Any], contract: Dict[str, Any]) -> None:
    mine, theirs = _all_schemas(ours), _all_schemas(contract)
    differ = set()
    for name, schema in theirs.items():
        if name not in mine:
            continue
        for prop, their_schema in (schema.get("properties") or {}).items():
            our_schema = mine[name]["properties"][prop]
            if _type_facts(contract, their_schema) != _type_facts(ours, our_schema):
                differ.add((name, prop))
    assert differ == OUR_TYPES


def test_required_fields_differ_only_where_servers_omit_them(ours: Dict[str, Any], contract: Dict[str, Any]) -> None:
    mine, theirs = _all_schemas(ours), _all_schemas(contract)
    relaxed, stricter = set(), set()
    for name, schema in theirs.items():
        if name in mine:
            their_required = set(schema.get("required") or [])
            our_required = set(mine[name].get("required") or [])
            relaxed |= {(name, p) for p in their_required - our_required}
            stricter |= {(name, p) for p in our_required - their_required}
    assert relaxed == NOT_REQUIRED
    assert stricter == set()


def test_every_difference_is_listed_in_spec_bumps() -> None:
    listed = (ROOT / "docs" / "spec-bumps.md").read_text(encoding="utf-8")
    differences = NOT_REQUIRED | OUR_PROPERTIES | OUR_TYPES
    names = {name.split(".")[0] for name, _ in differences} | OUR_SCHEMAS | LEFT_OUT_SCHEMAS
    names |= {"list_agents", "get_agent", "Provider", "FinishReason"}
    missing = sorted(n for n in names if f"`{n}" not in listed)
    assert not missing, f"docs/spec-bumps.md does not mention {missing}"
