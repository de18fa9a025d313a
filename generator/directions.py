"""Which way each component schema travels: sent (request), received (response), or both.

A schema is on the request side when a request body or a parameter reaches it through `$ref`s,
on the response side when any response body (success, error or event stream) reaches it. A
schema no operation reaches is counted as received: such schemas are the payloads an overlay or
a caller parses by hand (stream events the spec only names in prose), never what the SDK sends.
The models step reads this to keep request models strict and make response models tolerant;
the answer depends only on the spec, so it can be computed before or after naming.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

SCHEMA_PREFIX = "#/components/schemas/"
_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Directions:
    """Component schema names by the side(s) of the wire that use them."""

    sent: frozenset[str]  # reached from a request body or a parameter
    received: frozenset[str]  # reached from a response
    in_bodies: frozenset[str]  # reached from a request body: what request models are made of

    def received_only(self, schemas: Mapping[str, Any]) -> frozenset[str]:
        """Schemas the SDK only ever parses: tolerant models are safe for these."""
        return frozenset(name for name in schemas if name not in self.sent)


def analyse(data: Mapping[str, Any]) -> Directions:
    """Follow every operation's request and response schemas through the spec's `$ref`s."""
    in_bodies: set[str] = set()
    in_parameters: set[str] = set()
    received: set[str] = set()
    for operation in _operations(data):
        _collect(data, _content_schemas(_deref(data, operation.get("requestBody"))), in_bodies)
        for parameter in operation.get("parameters") or []:
            resolved = _deref(data, parameter)
            if isinstance(resolved, dict):
                _collect(data, [resolved.get("schema"), _content_schemas(resolved)], in_parameters)
        for response in (operation.get("responses") or {}).values():
            _collect(data, _content_schemas(_deref(data, response)), received)
    return Directions(
        sent=frozenset(in_bodies | in_parameters),
        received=frozenset(received),
        in_bodies=frozenset(in_bodies),
    )


def _operations(data: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for item in (data.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        shared = list(item.get("parameters") or [])
        for method in _HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield {**op, "parameters": shared + list(op.get("parameters") or [])}


def _content_schemas(holder: Any) -> list[Any]:
    if not isinstance(holder, dict) or not isinstance(holder.get("content"), dict):
        return []
    return [m.get("schema") for m in holder["content"].values() if isinstance(m, dict)]


def _deref(data: Mapping[str, Any], node: Any) -> Any:
    """Follow a chain of local `$ref`s to requestBodies/responses/parameters (not schemas)."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = _lookup(data, node["$ref"])
    return node


def _lookup(data: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        return None
    node: Any = data
    for raw in ref[2:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or token not in node:
            return None
        node = node[token]
    return node


def _collect(data: Mapping[str, Any], root: Any, found: set[str]) -> None:
    """Add every component schema `root` reaches (iteratively: specs nest deeply)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(SCHEMA_PREFIX):
                name = ref[len(SCHEMA_PREFIX) :].replace("~1", "/").replace("~0", "~")
                if name not in found:
                    found.add(name)
                    stack.append(_lookup(data, ref))
            discriminator = node.get("discriminator")
            if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
                stack.extend({"$ref": target} for target in discriminator["mapping"].values())
            stack.extend(v for k, v in node.items() if k not in ("$ref", "example", "examples"))
