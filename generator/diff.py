"""Changelog of the SDK surface between two OpenAPI specs (``python -m generator diff OLD NEW``).

Why: a spec bump must answer "what changes for our users, and is it safe?" before anyone
regenerates. Both specs are read into the generator's own IR (``ir.prepare`` + ``ir.build``,
the overlays ``features.select`` lays in), without running datamodel-code-generator or black,
and the two IR values are compared: the methods, arguments, fields and types listed are exactly
those generation produces. Every change points at its place in the spec (JSON pointer, line).

Breaking rules, from the SDK user's side:

* removed method (a ``_stream`` twin, an overlay helper), argument, model, field or enum value;
* a new required argument / request field, or an optional one becoming required;
* a changed request URL (path, server path or the client's base path);
* a changed type, except widening on the way in (``int`` -> ``float``, a new union member,
  ``Literal`` -> ``str`` in a request) and narrowing on the way out;
* a response value that may now be missing or ``None`` (readers must handle it);
* anything added as optional, a new method, model or enum value: not breaking.

A model used both in requests and responses is judged by both rules; a model no request
reaches is only ever parsed by the SDK, so it is judged as a response.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from . import directions, features, ir, pytypes
from .load import Spec, SpecError, SpecErrors, load, ref_errors, validate
from .pipeline import read_overlays
from .pytypes import Type
from .write import OutFile

OverlayFiles = dict[str, dict[str, OutFile]]

__all__ = ["Change", "Changelog", "SpecError", "diff_files", "diff_specs", "main"]

OVERLAYS = Path(__file__).resolve().parents[1] / "overlays"
Direction = Literal["input", "output", "both"]


@dataclass(frozen=True)
class Change:
    """One change of the SDK surface."""

    kind: str
    """Machine-readable kind, e.g. ``method.removed``, ``argument.required``, ``enum.narrowed``."""
    breaking: bool
    subject: str
    """What the SDK user sees changing: ``method chat_completions`` or ``model Message``."""
    detail: str
    """One human sentence in SDK terms."""
    pointer: str
    """JSON pointer into the new spec (into the old one for removals)."""
    location: str
    """``file:line`` of that pointer."""
    old: Any = None
    new: Any = None
    added_methods: tuple[str, ...] = ()
    """Client methods that appear with this change."""
    removed_methods: tuple[str, ...] = ()
    """Client methods that disappear with this change."""


@dataclass
class Changelog:
    old_source: str
    new_source: str
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def added_methods(self) -> set[str]:
        return {m for c in self.changes for m in c.added_methods}

    @property
    def removed_methods(self) -> set[str]:
        return {m for c in self.changes for m in c.removed_methods}

    def to_json(self) -> dict[str, Any]:
        return {
            "old": self.old_source,
            "new": self.new_source,
            "breaking": len(self.breaking),
            "non_breaking": len(self.changes) - len(self.breaking),
            "changes": [asdict(c) for c in self.changes],
        }

    def to_text(self) -> str:
        lines = [f"SDK changes {self.old_source} -> {self.new_source}"]
        if not self.changes:
            lines.append("no changes to the SDK surface")
            return "\n".join(lines) + "\n"
        for title, group in (
            ("BREAKING", self.breaking),
            ("NON-BREAKING", [c for c in self.changes if not c.breaking]),
        ):
            if not group:
                continue
            lines.append("")
            lines.append(f"{title} ({len(group)})")
            by_subject: dict[str, list[Change]] = {}
            for change in group:
                by_subject.setdefault(change.subject, []).append(change)
            for subject in sorted(by_subject, key=_subject_order):
                lines.append(f"  {subject}")
                for change in by_subject[subject]:
                    lines.append(f"    - {change.detail}")
                    lines.append(f"        at {change.location} {change.pointer}")
        return "\n".join(lines) + "\n"


def _subject_order(subject: str) -> tuple[int, str]:
    return (0 if subject.startswith(("client", "method ")) else 1, subject)


# --------------------------------------------------------------------------- one side


class Surface:
    """One spec as the SDK shows it: the IR, the overlay helpers, which way each model flows."""

    def __init__(self, spec: Spec, overlays: Path, overlay_files: OverlayFiles) -> None:
        self.spec = spec
        dangling = ref_errors(spec)  # a located error, not a crash of the IR
        if dangling:
            raise SpecErrors(dangling)
        prepared = ir.prepare(spec)
        self.api = ir.build(prepared)
        self.operations = {op.python_name: op for op in self.api.operations}
        self.schemas = self.api.schemas
        self.client = features.client_identity(prepared.data, self.api.title, None)
        feats = features.select(self.api, overlays, overlay_files, a2a_classes=None, client=self.client)
        self.helpers = _helper_methods(feats)
        self.methods = {m for op in self.api.operations for m in op.methods} | set(self.helpers)
        # One model of which way each schema travels: the one the models step makes tolerant by.
        found = directions.analyse(prepared.data)
        self.directions: dict[str, Direction] = {}
        for name in self.schemas:
            # A model no request reaches is only ever parsed (stream events, responses).
            sent = name in found.sent
            self.directions[name] = ("both" if name in found.received else "input") if sent else "output"

    def location(self, pointer: str) -> str:
        line = self.spec.line_of(pointer)
        return f"{self.spec.display}:{line}" if line is not None else self.spec.display

    def value_of(self, value: Type) -> Type:
        """A named root model (enum, alias) stands for its value when compared with a plain type."""
        schema = self.schemas.get(value.model or "") if isinstance(value, pytypes.Name) else None
        return schema.value if schema is not None and schema.value is not None else value


def _helper_methods(feats: features.Features) -> dict[str, str]:
    """Public methods of the client mixins the overlays add -> the feature that adds them."""
    found: dict[str, str] = {}
    for mixin in feats.mixins:
        target, _, module = mixin.module.rpartition(".")
        group = next((g for g in feats.overlays if g.target == target), None)
        if group is None:
            continue
        path = group.source / f"{module}.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        # The async class: always written in the overlay (the sync one may be its generated twin).
        for name in _public_methods(classes, mixin.async_class):
            found.setdefault(name, group.source.name)
    return found


def _public_methods(classes: dict[str, ast.ClassDef], name: str) -> Iterator[str]:
    """Public methods of a class and of its bases defined in the same module."""
    node = classes.get(name)
    if node is None:
        return
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and not item.name.startswith("_"):
            yield item.name
    for base in node.bases:
        target = base.value if isinstance(base, ast.Subscript) else base
        if isinstance(target, ast.Name):
            yield from _public_methods(classes, target.id)


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class _Ctx:
    """Where a comparison happens: which SDK thing, how the value is named, which way it flows."""

    subject: str
    root: str
    """How the compared value is named at the top: ``return value``, ``argument `body```."""
    direction: Direction
    noun: str = "field"
    path: str = ""
    """SDK name below the root (a field); empty at the root."""

    @property
    def label(self) -> str:
        if not self.path:
            return self.root
        owner = "" if self.root == "the model" else f" of {self.root}"
        return f"{self.noun} `{self.path}`{owner}"

    def breaking(self, *, on_input: bool, on_output: bool) -> bool:
        if self.direction == "input":
            return on_input
        if self.direction == "output":
            return on_output
        return on_input or on_output

    def member(self, name: str) -> _Ctx:
        return replace(self, path=f"{self.path}.{name}" if self.path else name)


class _Differ:
    def __init__(self, old: Surface, new: Surface) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []

    def add(
        self,
        kind: str,
        breaking: bool,
        subject: str,
        detail: str,
        pointer: str,
        *,
        old: Any = None,
        new: Any = None,
        in_old: bool = False,
        added: Iterable[str] = (),
        removed: Iterable[str] = (),
    ) -> None:
        side = self.old if in_old else self.new
        self.changes.append(
            Change(
                kind,
                breaking,
                subject,
                detail,
                "#" + pointer,
                side.location(pointer),
                old,
                new,
                tuple(added),
                tuple(removed),
            )
        )

    # -- the client and its methods

    def client(self) -> None:
        old_client, new_client = self.old.client, self.new.client
        old_name, new_name = old_client.sync_name, new_client.sync_name
        if old_name != new_name:
            self.add(
                "client.name",
                True,
                "client",
                f"the clients are now `{new_name}` / `{new_client.async_name}` (were `{old_name}` "
                f"/ `{old_client.async_name}`): the spec's title names them",
                "/info/title",
                old=old_name,
                new=new_name,
            )
        before, after = self.old.api.base_path, self.new.api.base_path
        if before != after:
            self.add(
                "client.base_path",
                True,
                "client",
                f"the base URL now stands for `{after or '/'}` (was `{before or '/'}`): a base_url "
                "ending in it reaches the spec's primary server, so every request URL moves",
                "/servers",
                old=before,
                new=after,
            )

    def operations(self) -> None:
        old_ops, new_ops = self.old.operations, self.new.operations
        added = [name for name in new_ops if name not in old_ops]
        for name, op in old_ops.items():
            if name in new_ops:
                self.operation(op, new_ops[name])
                continue
            renamed = next(
                (n for n in added if (new_ops[n].method, new_ops[n].template) == (op.method, op.template)),
                None,
            )
            if renamed is not None:
                added.remove(renamed)
                self.rename(op, new_ops[renamed])
                continue
            twin = f" and `{op.stream_name}`" if op.stream_name else ""
            self.add(
                "method.removed",
                True,
                f"method {name}",
                f"`{name}`{twin} removed ({op.method} {op.template} is gone)",
                op.pointer,
                old=op.route,
                in_old=True,
                removed=self._gone(op.methods),
            )
        for name in added:
            op = new_ops[name]
            twin = f" and its streaming twin `{op.stream_name}`" if op.stream_name else ""
            self.add(
                "method.added",
                False,
                f"method {name}",
                f"new method `{name}`{twin} ({op.route})",
                op.pointer,
                new=op.route,
                added=self._fresh(op.methods),
            )

    def _gone(self, methods: Iterable[str]) -> list[str]:
        return [m for m in methods if m not in self.new.methods]

    def _fresh(self, methods: Iterable[str]) -> list[str]:
        return [m for m in methods if m not in self.old.methods]

    def rename(self, old: ir.Operation, new: ir.Operation) -> None:
        """Same HTTP method and path, new name: the method and its streaming twin are renamed
        (a twin that comes or goes is reported by `operation`)."""
        added, removed = [new.python_name], [old.python_name]
        twins = ""
        if old.stream_name and new.stream_name:
            twins = f"; its streaming twin `{old.stream_name}` is now `{new.stream_name}`"
            added.append(new.stream_name)
            removed.append(old.stream_name)
        self.add(
            "method.renamed",
            True,
            f"method {old.python_name}",
            f"renamed to `{new.python_name}` ({new.method} {new.template}); `{old.python_name}` "
            f"no longer exists{twins}",
            new.pointer,
            old=old.python_name,
            new=new.python_name,
            added=self._fresh(added),
            removed=self._gone(removed),
        )
        self.operation(old, new, subject=f"method {old.python_name}")

    def operation(self, old: ir.Operation, new: ir.Operation, subject: str = "") -> None:
        subject = subject or f"method {new.python_name}"
        if old.route != new.route:
            self.add(
                "method.route",
                True,
                subject,
                f"now sends {new.route} (was {old.route}); a server that only knows the old URL "
                "answers 404",
                new.pointer,
                old=old.route,
                new=new.route,
            )
        if old.stream_name and not new.stream_name:
            self.add(
                "stream.removed",
                True,
                subject,
                f"streaming twin `{old.stream_name}` removed (no text/event-stream response any more)",
                old.pointer,
                in_old=True,
                removed=self._gone([old.stream_name]),
            )
        elif new.stream_name and not old.stream_name:
            self.add(
                "stream.added",
                False,
                subject,
                f"new streaming twin `{new.stream_name}`",
                new.pointer,
                added=self._fresh([new.stream_name]),
            )
        self.arguments(subject, old.params, new.params, "argument")
        self.argument_order(subject, old, new)
        self.body(subject, old, new)
        self.response(subject, old, new)

    def helpers(self) -> None:
        """Overlay helpers (``stream_chat_completion``, ``run_tools``, ...) that come or go
        with the features the spec enables; what operations already reported is skipped."""
        reported_added = {m for c in self.changes for m in c.added_methods}
        reported_removed = {m for c in self.changes for m in c.removed_methods}
        for name in sorted(self.new.methods - self.old.methods - reported_added):
            group = self.new.helpers[name]
            self.add(
                "method.added",
                False,
                f"method {name}",
                f"new helper `{name}` (the `{group}` overlay applies to this spec now)",
                "/paths",
                added=[name],
            )
        for name in sorted(self.old.methods - self.new.methods - reported_removed):
            group = self.old.helpers[name]
            self.add(
                "method.removed",
                True,
                f"method {name}",
                f"helper `{name}` removed (the `{group}` overlay no longer applies to this spec)",
                "/paths",
                in_old=True,
                removed=[name],
            )

    def arguments(
        self,
        subject: str,
        old: Iterable[ir.Parameter],
        new: Iterable[ir.Parameter],
        noun: str,
    ) -> None:
        """Compare arguments (parameters, JSON fields or multipart parts), matched by Python
        name."""
        before = {p.python_name: p for p in old}
        after = {p.python_name: p for p in new}

        def source(p: ir.Parameter) -> str:
            return f" ({p.location} parameter `{p.wire_name}`)" if p.location != "body" else ""

        for name, param in before.items():
            if name not in after:
                self.add(
                    f"{noun}.removed",
                    True,
                    subject,
                    f"{noun} `{name}` removed{source(param)}",
                    param.pointer,
                    in_old=True,
                )
        for name, param in after.items():
            was = before.get(name)
            if was is None:
                state = "required" if param.required else "optional"
                self.add(
                    f"{noun}.added",
                    param.required,
                    subject,
                    f"new {state} {noun} `{name}`{source(param) or f' ({param.type.render()})'}",
                    param.pointer,
                )
                continue
            if was.location != param.location:
                self.add(
                    f"{noun}.location",
                    "path" in (was.location, param.location),
                    subject,
                    f"{noun} `{name}` is now a {param.location} parameter (was {was.location})",
                    param.pointer,
                    old=was.location,
                    new=param.location,
                )
            if was.delimiter != param.delimiter:
                self.add(
                    f"{noun}.style",
                    True,
                    subject,
                    f"{noun} `{name}` is now sent as {_query_form(param)} (was {_query_form(was)})",
                    param.pointer,
                    old=was.delimiter,
                    new=param.delimiter,
                )
            ctx = _Ctx(subject, f"{noun} `{name}`", "input")
            self.required(ctx, was.required, param.required, param.pointer)
            self.types(ctx, was.type, param.type, param.pointer, optional=not param.required)

    def argument_order(self, subject: str, old: ir.Operation, new: ir.Operation) -> None:
        """Positional arguments (path parameters, then required body fields or parts) that both
        versions have, in another order: a call passing them by position now means another thing."""
        common = {p.python_name for p in old.positional} & {p.python_name for p in new.positional}
        before = [p.python_name for p in old.positional if p.python_name in common]
        after = [p.python_name for p in new.positional if p.python_name in common]
        if before != after:
            self.add(
                "argument.order",
                True,
                subject,
                f"positional arguments reordered: ({', '.join(after)}) was ({', '.join(before)})",
                new.pointer,
                old=before,
                new=after,
            )

    def body(self, subject: str, old: ir.Operation, new: ir.Operation) -> None:
        ob, nb = old.body, new.body
        if ob is None and nb is None:
            return
        if nb is None:
            assert ob is not None
            what = "its arguments" if ob.as_arguments else "argument `body`"
            self.add(
                "body.removed",
                True,
                subject,
                f"request body removed ({ob.content_type}) with {what}",
                ob.pointer,
                in_old=True,
            )
            return
        if ob is None:
            if nb.as_arguments:
                self.arguments(subject, (), nb.fields, "argument")
            else:
                state = "required" if nb.required else "optional"
                self.add(
                    "body.added",
                    nb.required,
                    subject,
                    f"new {state} argument `body` ({nb.content_type})",
                    nb.pointer,
                )
            return
        if (ob.kind, ob.content_type, ob.as_arguments) != (nb.kind, nb.content_type, nb.as_arguments):
            self.add(
                "body.kind",
                True,
                subject,
                f"request body is now {_body_text(nb)} (was {_body_text(ob)})",
                nb.pointer,
                old=ob.content_type,
                new=nb.content_type,
            )
            return
        if nb.as_arguments:  # JSON fields or multipart parts: each is an argument
            self.arguments(subject, ob.fields, nb.fields, "argument")
            return
        ctx = _Ctx(subject, "argument `body`", "input", noun="argument")
        self.required(ctx, ob.required, nb.required, nb.pointer)
        if ob.type is not None and nb.type is not None:
            self.types(ctx, ob.type, nb.type, nb.pointer, optional=not nb.required)

    def response(self, subject: str, old: ir.Operation, new: ir.Operation) -> None:
        at = f"{new.pointer}/responses"
        before, after = old.return_type, new.return_type
        if before == after:
            return
        if pytypes.NONE in (before, after):
            self.add(
                "response.type",
                True,
                subject,
                f"return type is now {after.render()} (was {before.render()})",
                at,
                old=before.render(),
                new=after.render(),
            )
            return
        self.types(_Ctx(subject, "return value", "output"), before, after, at, optional=False)

    # -- models

    def models(self) -> None:
        old_models, new_models = self.old.schemas, self.new.schemas
        for name, schema in old_models.items():
            if name not in new_models and schema.hoisted is None:  # inline: its method reports it
                self.add(
                    "model.removed",
                    True,
                    f"model {name}",
                    f"model `{name}` removed",
                    schema.pointer,
                    in_old=True,
                )
        for name, schema in new_models.items():
            if name not in old_models and schema.hoisted is None:
                self.add("model.added", False, f"model {name}", f"new model `{name}`", schema.pointer)
        for name, schema in new_models.items():
            before = old_models.get(name)
            if before is None:
                continue
            ctx = self.model_context(schema)
            if ctx is not None:
                self.model(ctx, before, schema)

    def model_context(self, schema: ir.Schema) -> _Ctx | None:
        """How a model's changes are named: under the model, or under the method whose inline
        schema it is (None: an inline request body, reported as its arguments)."""
        directions = {self.old.directions.get(schema.name), self.new.directions.get(schema.name)} - {None}
        direction: Direction = directions.pop() if len(directions) == 1 else "both"  # type: ignore[assignment]
        if schema.hoisted is None:
            return _Ctx(f"model {schema.name}", "the model", direction)
        pointer, role = schema.hoisted
        op = next((o for o in self.new.api.operations if o.pointer == pointer), None)
        if op is None or (role == "request" and op.body is not None and op.body.kind == "flattened"):
            return None
        if role == "request":
            return _Ctx(f"method {op.python_name}", "argument `body`", "input")
        return _Ctx(f"method {op.python_name}", "return value", "output")

    def model(self, ctx: _Ctx, old: ir.Schema, new: ir.Schema) -> None:
        if old.kind != new.kind:
            self.add(
                "model.kind",
                True,
                ctx.subject,
                f"`{new.name}` is now {_KIND_TEXT[new.kind]} (was {_KIND_TEXT[old.kind]})",
                new.pointer,
                old=old.kind,
                new=new.kind,
            )
            return
        if new.kind == "model":
            self.fields(ctx, old.fields, new.fields)
        elif new.kind == "enum":
            self.enum(ctx, old, new)
        elif old.value is not None and new.value is not None:
            self.types(ctx, old.value, new.value, new.pointer, optional=False)
        if new.kind == "union":
            self.discriminator(ctx, old, new)

    def fields(self, ctx: _Ctx, old: tuple[ir.Field, ...], new: tuple[ir.Field, ...]) -> None:
        """Compare the fields of a model (or of an inline object inside one), by wire name."""
        before = {f.wire_name: f for f in old}
        after = {f.wire_name: f for f in new}
        for wire, gone in before.items():
            if wire not in after:
                self.add(
                    f"{ctx.noun}.removed",
                    True,
                    ctx.subject,
                    f"{ctx.member(gone.python_name).label} removed",
                    gone.pointer,
                    in_old=True,
                )
        for wire, now in after.items():
            was = before.get(wire)
            sub = ctx.member(now.python_name)
            if was is None:
                state = "required" if now.required else "optional"
                self.add(
                    f"{ctx.noun}.added",
                    ctx.breaking(on_input=now.required, on_output=False),
                    ctx.subject,
                    f"new {state} {sub.label} ({now.type.render()})",
                    now.pointer,
                )
                continue
            self.required(sub, was.required, now.required, now.pointer)
            both_required = was.required and now.required
            if both_required and was.nullable != now.nullable:
                self.add(
                    "nullable.added" if now.nullable else "nullable.removed",
                    sub.breaking(on_input=not now.nullable, on_output=now.nullable),
                    ctx.subject,
                    f"{sub.label} {'may now be None' if now.nullable else 'may no longer be None'}",
                    now.pointer,
                    old=was.nullable,
                    new=now.nullable,
                )
            old_type, new_type = was.type, now.type
            if not both_required or was.nullable != now.nullable:
                old_type, new_type = pytypes.strip_optional(old_type), pytypes.strip_optional(new_type)
            self.types(sub, old_type, new_type, now.pointer, optional=False)
            if was.fields and now.fields:  # an inline object on both sides: compare inside
                self.fields(sub, was.fields, now.fields)
            if (was.has_default, was.default) != (now.has_default, now.default) and not now.required:
                self.add(
                    "default.changed",
                    False,
                    ctx.subject,
                    f"default of {sub.label} is now {now.default!r} (was {was.default!r})"
                    if now.has_default
                    else f"{sub.label} has no default any more (was {was.default!r})",
                    now.pointer,
                    old=was.default,
                    new=now.default,
                )

    def required(self, ctx: _Ctx, before: bool, after: bool, pointer: str) -> None:
        if before == after:
            return
        self.add(
            "required.added" if after else "required.removed",
            ctx.breaking(on_input=after, on_output=not after),
            ctx.subject,
            f"{ctx.label} is now required" if after else f"{ctx.label} is now optional (may be missing)",
            pointer,
            old=before,
            new=after,
        )

    def types(self, ctx: _Ctx, old: Type, new: Type, pointer: str, *, optional: bool) -> None:
        """Compare two annotations at the same SDK place; `optional`: None is moot there."""
        if optional:
            old, new = pytypes.strip_optional(old), pytypes.strip_optional(new)
        if old == new:
            return
        old_value, new_value = self.old.value_of(old), self.new.value_of(new)
        if (old_value != old or new_value != new) and old_value == new_value:
            self.add(
                "type.named",
                False,
                ctx.subject,
                f"{ctx.label} is now the model `{new.render()}`"
                if new_value != new
                else f"{ctx.label} is now an inline type (was the model `{old.render()}`)",
                pointer,
                old=old.render(),
                new=new.render(),
            )
            return
        widened = pytypes.accepts(new_value, old_value)
        narrowed = pytypes.accepts(old_value, new_value)
        breaking = ctx.breaking(on_input=not widened, on_output=not narrowed)
        if isinstance(old_value, pytypes.Literal) and isinstance(new_value, pytypes.Literal):
            self.values(ctx, old_value.values, new_value.values, pointer, breaks=True)
            return
        if isinstance(old_value, pytypes.Literal) and new_value == pytypes.STR:
            self.add(
                "enum.widened",
                breaking,
                ctx.subject,
                f"{ctx.label} is no longer limited to {_values(old_value.values)}",
                pointer,
                old=list(old_value.values),
            )
            return
        self.add(
            "type.changed",
            breaking,
            ctx.subject,
            f"type of {ctx.label} is now {new.render()} (was {old.render()})",
            pointer,
            old=old.render(),
            new=new.render(),
        )

    def enum(self, ctx: _Ctx, old: ir.Schema, new: ir.Schema) -> None:
        if old.open != new.open:
            self.add(
                "enum.opened" if new.open else "enum.closed",
                ctx.breaking(on_input=not new.open, on_output=new.open),
                ctx.subject,
                "the model now takes any string besides its known values (code may meet values "
                "it does not know)"
                if new.open
                else "the model is now limited to its known values",
                new.pointer,
            )
        # A value leaving an open enum breaks nothing: it is still a valid string.
        self.values(ctx, old.enum, new.enum, new.pointer, breaks=not new.open)

    def values(
        self, ctx: _Ctx, old: tuple[Any, ...], new: tuple[Any, ...], pointer: str, *, breaks: bool
    ) -> None:
        what = "enum" if not ctx.path else f"enum {ctx.label}"
        gone = [v for v in old if v not in new]
        fresh = [v for v in new if v not in old]
        if gone:
            plural = "s" if len(gone) > 1 else ""
            self.add("enum.narrowed", breaks, ctx.subject, f"{what}: value{plural} {_values(gone)} removed", pointer, old=gone)
        if fresh:
            plural = "s" if len(fresh) > 1 else ""
            self.add("enum.widened", False, ctx.subject, f"{what}: new value{plural} {_values(fresh)}", pointer, new=fresh)

    def discriminator(self, ctx: _Ctx, old: ir.Schema, new: ir.Schema) -> None:
        at = f"{new.pointer}/discriminator"
        if old.discriminator is None and new.discriminator is None:
            return
        if new.discriminator is None or old.discriminator is None:
            # Members are then tried in order (or told apart by the tag): values parse either way.
            self.add(
                "discriminator.dropped" if new.discriminator is None else "discriminator.introduced",
                False,
                ctx.subject,
                f"{ctx.label} is no longer told apart by {old.discriminator!r}"
                if new.discriminator is None
                else f"{ctx.label} is now told apart by {new.discriminator!r}",
                at,
                old=old.discriminator,
                new=new.discriminator,
            )
            return
        if old.discriminator != new.discriminator:
            self.add(
                "discriminator.changed",
                True,
                ctx.subject,
                f"{ctx.label} is now told apart by {new.discriminator!r} (was {old.discriminator!r})",
                at,
                old=old.discriminator,
                new=new.discriminator,
            )
        for tag in old.mapping:
            if tag not in new.mapping:
                self.add("discriminator.removed", True, ctx.subject, f"{ctx.label}: variant {tag!r} removed", at, old=tag)
        for tag in new.mapping:
            if tag not in old.mapping:
                self.add(
                    "discriminator.added",
                    ctx.breaking(on_input=False, on_output=True),
                    ctx.subject,
                    f"{ctx.label}: new variant {tag!r}",
                    at,
                    new=tag,
                )


_KIND_TEXT = {"model": "a model with fields", "enum": "an enum", "union": "a union", "root": "a wrapped value"}


def _body_text(body: ir.Body) -> str:
    if body.kind == "flattened":
        return f"JSON fields as arguments ({body.content_type})"
    if body.as_arguments:
        return f"multipart parts as arguments ({body.content_type})"
    return f"one `body` argument ({body.content_type})"


def _values(values: Iterable[Any]) -> str:
    return ", ".join(repr(v) for v in values)


# --------------------------------------------------------------------------- entry points


def diff_specs(old: Spec, new: Spec, overlays: Path = OVERLAYS) -> Changelog:
    """Compare two loaded specs; breaking changes first, methods before models."""
    overlay_files = read_overlays(overlays)
    differ = _Differ(Surface(old, overlays, overlay_files), Surface(new, overlays, overlay_files))
    differ.client()
    differ.operations()
    differ.helpers()
    differ.models()
    changes = sorted(differ.changes, key=lambda c: (not c.breaking, _subject_order(c.subject)))
    return Changelog(old.display, new.display, changes)


def diff_files(
    old: Path, new: Path, overlays: Path = OVERLAYS, *, lenient: bool = False
) -> Changelog:
    """With `lenient`, both specs get the repairs `generate --lenient` makes (and their
    warnings), so that the changelog names what that generation produces."""
    specs = [load(old), load(new)]
    for spec in specs if lenient else []:
        validate(spec, lenient=True)
        for warning in spec.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    return diff_specs(specs[0], specs[1], overlays)


def main(argv: list[str] | None = None) -> int:
    """``diff OLD NEW [--format text|json] [--fail-on-breaking]``; exit 1 on breaking when asked."""
    parser = argparse.ArgumentParser(
        prog="python -m generator diff",
        description="Changelog of the SDK surface between two OpenAPI specs.",
    )
    parser.add_argument("old", type=Path, help="the spec the current SDK was generated from")
    parser.add_argument("new", type=Path, help="the spec to compare against it")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--fail-on-breaking",
        action="store_true",
        help="exit with status 1 when any change is breaking",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="repair both specs as generate --lenient does (see generator/load.py LENIENT)",
    )
    args = parser.parse_args(argv)
    try:
        changelog = diff_files(args.old, args.new, lenient=args.lenient)
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps(changelog.to_json(), indent=2, default=str))
    else:
        sys.stdout.write(changelog.to_text())
    return 1 if args.fail_on_breaking and changelog.breaking else 0


def _query_form(param: ir.Parameter) -> str:
    """How a query argument goes on the wire, for the changelog."""
    return f"one {param.delimiter!r}-joined value" if param.delimiter else "a key per item"


if __name__ == "__main__":
    sys.exit(main())
