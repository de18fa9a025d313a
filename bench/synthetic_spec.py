"""A synthetic OpenAPI 3.1 spec of any size, shaped like large public APIs, for the generator's
scaling benchmark (bench/generator.py).

    python -m bench.synthetic_spec --schemas 2000 --operations 300 > big.yaml

Deterministic (a seeded RNG): the same sizes give the same bytes. Schemas come in resource
families (``Resource12``, ``Resource12Create``, ``Resource12Update``, ``Resource12List``) plus
shared enums and tagged unions, with required and optional fields of every scalar type, formats,
arrays, nested ``$ref``s, descriptions and defaults. Operations are CRUD over the resources
(list with paging and filters, get/update/delete by path id, create with a JSON body), a few
with an event stream or a multipart upload, spread over paths with several path parameters.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from typing import Any, Dict, List

SCALARS: List[Dict[str, Any]] = [
    {"type": "string"},
    {"type": "string", "format": "date-time"},
    {"type": "string", "format": "uuid"},
    {"type": "string", "maxLength": 256},
    {"type": "integer", "minimum": 0},
    {"type": "integer", "format": "int64"},
    {"type": "number"},
    {"type": "boolean", "default": False},
    {"type": "array", "items": {"type": "string"}},
    {"type": "object", "additionalProperties": {"type": "string"}},
]


def _ref(name: str) -> Dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def build(schemas: int, operations: int, seed: int = 11) -> Dict[str, Any]:
    """The spec as data: exactly ``schemas`` component schemas and ``operations`` operations."""
    rng = random.Random(seed)
    components: Dict[str, Any] = {}
    enums = max(1, schemas // 20)
    for index in range(enums):
        values = [f"value_{index}_{v}" for v in range(rng.randint(2, 6))]
        components[f"Kind{index}"] = {"type": "string", "enum": values, "description": f"Kind {index}."}
    unions = max(1, schemas // 40)
    families = max(1, (schemas - enums - unions) // 4)
    resources = [f"Resource{index}" for index in range(families)]
    for index, name in enumerate(resources):
        properties: Dict[str, Any] = {"id": {"type": "string", "description": "Identifier."}}
        for field in range(rng.randint(4, 14)):
            choice = rng.random()
            if choice < 0.15 and index > 0:
                properties[f"link_{field}"] = _ref(resources[rng.randrange(index)])
            elif choice < 0.25:
                properties[f"kind_{field}"] = _ref(f"Kind{rng.randrange(enums)}")
            elif choice < 0.3 and index > 0:
                properties[f"items_{field}"] = {"type": "array", "items": _ref(resources[rng.randrange(index)])}
            else:
                properties[f"field_{field}"] = dict(rng.choice(SCALARS), description=f"Field {field}.")
        required = ["id"] + [p for p in properties if p != "id" and rng.random() < 0.4]
        components[name] = {
            "type": "object",
            "description": f"A {name}.",
            "required": required,
            "properties": properties,
        }
        writable = {k: v for k, v in properties.items() if k != "id"}
        components[f"{name}Create"] = {
            "type": "object",
            "required": [r for r in required if r != "id"],
            "properties": writable,
        }
        components[f"{name}Update"] = {"type": "object", "properties": writable}
        components[f"{name}List"] = {
            "type": "object",
            "required": ["data"],
            "properties": {
                "data": {"type": "array", "items": _ref(name)},
                "next_cursor": {"type": ["string", "null"]},
            },
        }
    for index in range(unions):
        members = rng.sample(resources, k=min(3, len(resources)))
        components[f"Event{index}"] = {"oneOf": [_ref(m) for m in members]}
    filler = 0
    while len(components) < schemas:  # round the families up to the exact count
        components[f"Extra{filler}"] = {"type": "object", "properties": {"value": {"type": "string"}}}
        filler += 1
    paths: Dict[str, Any] = {}
    count = 0
    for index in range(operations):
        resource = resources[index // 5 % len(resources)]
        group = f"/v1/groups/{{group_id}}/{resource.lower()}s"
        parent = {"name": "group_id", "in": "path", "required": True, "schema": {"type": "string"}}
        item_id = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
        kind = index % 5
        json_of = lambda name: {"application/json": {"schema": _ref(name)}}  # noqa: E731
        if kind == 0:
            op: Dict[str, Any] = {
                "method": "get",
                "path": group,
                "operationId": f"list{resource}s",
                "parameters": [
                    parent,
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {"name": "kind", "in": "query", "schema": _ref(f"Kind{index % enums}")},
                ],
                "responses": {"200": {"description": "a page", "content": json_of(f"{resource}List")}},
            }
        elif kind == 1:
            content: Dict[str, Any] = json_of(resource)
            if index % 7 == 0:
                content["text/event-stream"] = {"schema": _ref(f"Event{index % unions}")}
            op = {
                "method": "post",
                "path": group,
                "operationId": f"create{resource}",
                "parameters": [parent],
                "requestBody": {"required": True, "content": json_of(f"{resource}Create")},
                "responses": {"201": {"description": "created", "content": content}},
            }
        elif kind == 2:
            op = {
                "method": "get",
                "path": f"{group}/{{item_id}}",
                "operationId": f"get{resource}",
                "parameters": [parent, item_id],
                "responses": {"200": {"description": "one", "content": json_of(resource)}},
            }
        elif kind == 3:
            op = {
                "method": "patch",
                "path": f"{group}/{{item_id}}",
                "operationId": f"update{resource}",
                "parameters": [parent, item_id],
                "requestBody": {"required": True, "content": json_of(f"{resource}Update")},
                "responses": {"200": {"description": "updated", "content": json_of(resource)}},
            }
        else:
            upload = {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}, "note": {"type": "string"}},
            }
            op = {
                "method": "delete" if index % 2 else "put",
                "path": f"{group}/{{item_id}}" if index % 2 else f"{group}/{{item_id}}/attachment",
                "operationId": f"{'delete' if index % 2 else 'attach'}{resource}",
                "parameters": [parent, item_id],
                "responses": {"204": {"description": "done"}},
            }
            if not index % 2:
                op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": upload}}}
        method, path = op.pop("method"), op.pop("path")
        if method in paths.setdefault(path, {}):
            op["operationId"] += f"V{index}"
            path = f"{path}/v{index}"
            paths.setdefault(path, {})
        paths[path][method] = op
        count += 1
    assert count == operations and len(components) == schemas
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic API", "version": "1.0.0"},
        "servers": [{"url": "http://localhost:8080"}],
        "paths": paths,
        "components": {"schemas": components},
    }


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic_spec", description=__doc__.split("\n\n")[0])
    parser.add_argument("--schemas", type=int, default=2000)
    parser.add_argument("--operations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    json.dump(build(args.schemas, args.operations, args.seed), sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
