"""The stages in order: load -> validate -> prepare -> models -> IR -> features -> render -> files.

`build` returns the complete package in memory; cli.py decides whether to write it (generate)
or compare it (check).
"""

from __future__ import annotations

import gc
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import features as features_mod
from . import ir, load, models, render, unasync, write
from .background import Background, forking_enabled
from .cache import Cache, source_fingerprint, tool_version
from .write import OutFile

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = REPO_ROOT / "specs" / "openapi.yaml"
DEFAULT_A2A_SPEC = REPO_ROOT / "specs" / "a2a.yaml"
DEFAULT_TEMPLATES = REPO_ROOT / "templates"
DEFAULT_OVERLAYS = REPO_ROOT / "overlays"
DEFAULT_OUTPUT = REPO_ROOT / "generated"

_TYPING_NAMES = ("Any", "Dict", "List", "Literal", "Mapping", "Optional", "Sequence", "Union")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class Options:
    spec: Path = DEFAULT_SPEC
    a2a_spec: Path | None = None
    output: Path = DEFAULT_OUTPUT
    package: str = write.DEFAULT_PACKAGE
    templates: Path = DEFAULT_TEMPLATES
    overlays: Path = DEFAULT_OVERLAYS
    response_required: models.ResponseRequired = "lenient"
    client_name: str | None = None
    cache: Cache = field(default_factory=lambda: Cache(None))


@dataclass
class Result:
    contents: dict[str, bytes]
    schemas: int
    operations: int
    methods: int  # per client (sync and async have the same count)
    features: list[str]
    seconds: float
    left_out: list[str] = field(default_factory=list)  # overlay modules the spec cannot support
    extra: dict[str, int] = field(default_factory=dict)


def label(path: Path) -> str:
    """How a source file is named in headers: relative to the repository, else its name."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.name


def _validation_key(spec: load.Spec) -> str:
    return Cache.key(
        "valid", spec.text, tool_version("openapi-spec-validator"), source_fingerprint("load.py")
    )


def load_spec(path: Path, cache: Cache | None = None) -> load.Spec:
    """Load and validate; a document validated before (same bytes, same tools) is not re-run."""
    spec = load.load(path)
    cache = cache or Cache(None)
    key = _validation_key(spec)
    if cache.get(key) is None:
        load.validate(spec)
        cache.put(key, b"ok")
    return spec


def _validate_all(specs: list[load.Spec]) -> None:
    for spec in specs:
        load.validate(spec)


def build(options: Options) -> Result:
    """Generate the whole package in memory; raises SpecError/WriteError on failure.

    The specs are validated in a background process (background.py) while the package is
    built from them; a validation error wins over any later error the invalid spec caused.
    The cyclic garbage collector is paused meanwhile (and in the children, which inherit
    that): the build allocates a lot and frees it all when it ends, and the collector's
    passes over the imported libraries' objects were about a tenth of a cold run's CPU.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_all(options)
    finally:
        if collecting:
            gc.enable()


def _build_all(options: Options) -> Result:
    start = time.perf_counter()
    if not options.package.isidentifier():
        raise write.WriteError(f"--package-name {options.package!r} is not a valid Python package name")
    if options.a2a_spec is not None and not options.a2a_spec.is_file():
        raise load.SpecError(str(options.a2a_spec), "/", None, "the A2A spec does not exist")
    specs = [load.load(options.spec)]
    if options.a2a_spec is not None and features_mod.uses_a2a(options.overlays, a2a_available=True):
        specs.append(load.load(options.a2a_spec))
    cache = options.cache
    pending = [s for s in specs if not cache.enabled or cache.get(_validation_key(s)) is None]
    # A spec not validated before means a cold run: black's worker is forked now, before the
    # validation child and the import of datamodel-code-generator (background.Worker).
    formatter = write.Formatter(options.cache, eager=bool(pending))
    if pending and forking_enabled():
        # Both openapi-spec-validator (its settings) and datamodel-code-generator import
        # pydantic: once here, before the validation child is forked, rather than in each.
        import pydantic.main  # noqa: F401
    # Nothing waits for validation until the end: it runs at low priority, in the gaps.
    validation: Background[None] | None = (
        Background(_validate_all, pending, nice=10) if pending else None
    )
    try:
        # Overlays are read first: black formats the twins written for them (unasync.py)
        # while this process imports datamodel-code-generator and generates the models.
        overlay_files = read_overlays(options.overlays)
        for group in overlay_files.values():
            for overlay in group.values():
                if overlay.appended:
                    formatter.start(overlay.source, overlay)
        contents, summary = _build_files(options, specs, formatter, overlay_files)
    except BaseException:
        formatter.close()
        if validation is not None:
            validation.result()  # raises the validation error, if any, instead
        raise
    if validation is not None:
        validation.result()
        for spec in pending if cache.enabled else []:
            cache.put(_validation_key(spec), b"ok")
    return Result(contents=contents, seconds=time.perf_counter() - start, **summary)


def _build_files(
    options: Options,
    specs: list[load.Spec],
    formatter: write.Formatter,
    overlay_files: dict[str, dict[str, OutFile]],
) -> tuple[dict[str, bytes], dict[str, Any]]:
    spec = specs[0]
    prepared = ir.prepare(spec)
    model_spec = models.main_model_spec(prepared, options.response_required)
    a2a_prepared = ir.prepare(specs[1]) if len(specs) > 1 else None
    a2a_job: Background[models.ModelsModule] | None = None
    if (
        a2a_prepared is not None
        and models.needs_tool(model_spec, options.cache)
        and models.needs_tool(a2a_prepared.model_spec, options.cache)
    ):
        # Both specs need datamodel-code-generator: import it once, then a child generates the
        # A2A models while this process generates the main ones.
        models.preload()
        a2a_job = Background(
            models.generate_in_child, a2a_prepared.model_spec, specs[1].display, options.cache
        )
    try:
        return _assemble(
            options, specs, formatter, overlay_files, prepared, model_spec, a2a_prepared, a2a_job
        )
    except BaseException:
        if a2a_job is not None:
            a2a_job.wait()  # reaped; no-op when its result was taken
        raise


def _assemble(
    options: Options,
    specs: list[load.Spec],
    formatter: write.Formatter,
    overlay_files: dict[str, dict[str, OutFile]],
    prepared: ir.Prepared,
    model_spec: dict[str, Any],
    a2a_prepared: ir.Prepared | None,
    a2a_job: Background[models.ModelsModule] | None,
) -> tuple[dict[str, bytes], dict[str, Any]]:
    spec = specs[0]
    models_module = models.generate_models(model_spec, source_name=spec.display, cache=options.cache)
    api = ir.build(prepared, models_module.classes)
    feats = features_mod.select(
        api,
        options.overlays,
        overlay_files,
        a2a_classes=None if a2a_prepared is None else a2a_prepared.schema_names.values(),
        client=features_mod.client_identity(prepared.data, api.title, options.client_name),
    )
    env = render.make_environment(options.templates)
    spec_label = label(options.spec)

    files: dict[str, OutFile] = {}
    files["models.py"] = OutFile(
        text=fix_import_block(models_module.source), source=spec_label, python=True
    )
    formatter.start("models.py", files["models.py"])
    files["_operations.py"] = OutFile(
        text=render_operations(env, api), source=f"{spec_label} with templates/_operations.py.jinja", python=True
    )
    formatter.start("_operations.py", files["_operations.py"])
    files["_client.py"] = OutFile(
        text=render.render(
            env,
            "_client.py.jinja",
            title=api.title,
            mixins=feats.mixins,
            features=feats.names,
            client=feats.client,
        ),
        source=f"{spec_label} with templates/_client.py.jinja",
        python=True,
    )
    for group in feats.overlays:
        for rel, overlay in overlay_files.get(group.source.name, {}).items():
            if rel in group.files:
                files["/".join(p for p in (group.target, rel) if p)] = overlay
    if feats.a2a and options.a2a_spec is not None:
        assert a2a_prepared is not None  # loaded exactly when the A2A feature applies
        a2a_models = (
            a2a_job.result()
            if a2a_job is not None
            else models.generate_models(
                a2a_prepared.model_spec, source_name=specs[1].display, cache=options.cache
            )
        )
        files["a2a/models.py"] = OutFile(
            text=fix_import_block(a2a_models.source), source=label(options.a2a_spec), python=True
        )
        formatter.start("a2a/models.py", files["a2a/models.py"])
    elif a2a_job is not None:
        a2a_job.wait()  # the A2A group was left out: its models are not needed
    exports = top_level_exports(files, feats)
    for group in feats.overlays:
        if group.target and f"{group.target}/__init__.py" not in files:
            files[f"{group.target}/__init__.py"] = OutFile(
                text=subpackage_init(env, group, files),
                source="templates/_subpackage.py.jinja",
                python=True,
            )
    submodules = ["models"] + [g.target for g in feats.overlays if g.target]
    files["__init__.py"] = OutFile(
        text=render.render(
            env,
            "__init__.py.jinja",
            title=api.title,
            package=options.package,
            imports=exports,
            all_names=sorted(n for _, names in exports for n in names),
            submodules=submodules,
        ),
        source=f"{spec_label} with templates/__init__.py.jinja",
        python=True,
    )
    contents = write.render_files(files, options.cache, formatter)
    write.check_package_name(contents, options.package)
    summary = {
        "schemas": len(models_module.classes),
        "operations": len(api.operations),
        "methods": api.method_count,
        "features": feats.names,
        "left_out": feats.left_out,
    }
    return contents, summary


def read_overlays(root: Path) -> dict[str, dict[str, OutFile]]:
    """Every file of every overlay group (group name -> path in the group -> file); Python
    modules come with the blocking twins of their marked async classes (unasync.py)."""
    groups: dict[str, dict[str, OutFile]] = {}
    for path in sorted(root.glob("*/**/*")):
        group, _, rel = path.relative_to(root).as_posix().partition("/")
        if not path.is_file() or "__pycache__" in rel.split("/") or path.suffix == ".pyc":
            continue
        source = f"overlays/{group}/{rel}"
        if path.suffix in (".py", ".pyi"):
            text = path.read_text(encoding="utf-8")
            try:
                twins = tuple(t.source for t in unasync.twins(text, source))
            except unasync.UnasyncError as exc:
                raise write.WriteError(str(exc)) from exc
            overlay = OutFile(text=text, source=source, python=True, verbatim=True, appended=twins)
        elif path.name == "py.typed":
            overlay = OutFile(text=path.read_text(encoding="utf-8"), source=source)
        else:
            overlay = OutFile(text=None, data=path.read_bytes(), source=source)
        groups.setdefault(group, {})[rel] = overlay
    return groups


def render_operations(env: jinja2.Environment, api: ir.API) -> str:
    """The `_operations.py` module; imports exactly the names its annotations use."""
    annotations = [p.annotation for op in api.operations for p in op.params + op.body_fields]
    annotations += [op.body.annotation for op in api.operations if op.body and op.body.annotation]
    annotations += [op.return_annotation for op in api.operations]
    words = set(_WORD.findall(" ".join(annotations)))
    typing_names = {n for n in _TYPING_NAMES if n in words}
    if api.operations:  # every method has Optional/Mapping/Union in its extra_* arguments
        typing_names |= {"Mapping", "Optional", "Union"}
    if any(op.body and op.body.kind == "flattened" for op in api.operations):
        typing_names.add("Any")  # **extra_body: Any
    if any(op.return_annotation != "None" for op in api.operations):
        typing_names.add("cast")
    model_imports = {n for n in words if n in api.classes}
    model_imports |= {op.response_type for op in api.operations if op.response_type in api.classes}
    return render.render(
        env,
        "_operations.py.jinja",
        title=api.title,
        operations=api.operations,
        typing_names=sorted(typing_names),
        model_imports=sorted(model_imports),
        any_stream=any(op.streams for op in api.operations),
        optional=_optional,
        op_docstring=operation_docstring,
    )


def _optional(annotation: str) -> str:
    if annotation == "Any" or annotation.startswith("Optional["):
        return annotation
    return f"Optional[{annotation}]"


def operation_docstring(op: ir.Operation, streaming: bool) -> str:
    """Plain text (escaped later by the `docstring` filter): summary, description, arguments."""
    parts = [op.summary or f"{op.method} {op.path}"]
    if op.description and op.description != op.summary:
        parts.append(op.description)
    if streaming:
        parts.append("Streams the response as server-sent events; iterate the returned stream.")
    documented = [p for p in op.positional + op.keyword_only if p.description]
    if documented:
        lines = ["Args:"]
        for p in documented:
            text = " ".join(p.description.split())
            lines.append(f"    {p.python_name}: {text}")
        parts.append("\n".join(lines))
    if op.deprecated:
        parts.append("Deprecated by the API.")
    return "\n\n".join(parts)


def _module_exports(files: dict[str, OutFile], prefix: str) -> list[tuple[str, list[str]]]:
    """(relative module, __all__) of every overlay module directly under `prefix`."""
    found = []
    for rel in sorted(files):
        f = files[rel]
        if not f.python or f.text is None or not f.source.startswith("overlays/"):
            continue
        directory, _, filename = rel.rpartition("/")
        if directory != prefix or filename == "__init__.py" or not filename.endswith(".py"):
            continue
        if filename.startswith("_mixins"):
            continue  # client mixins are reached through the clients, not exported
        declared = features_mod.declared_all_source(f.text, rel)
        if declared:
            module = "." + ".".join(p for p in (prefix, filename[:-3]) if p)
            found.append((module, declared))
    return found


def top_level_exports(files: dict[str, OutFile], feats: features_mod.Features) -> list[tuple[str, list[str]]]:
    """(module, names) the package __init__ re-exports (features.top_level_names decides which);
    a name is exported once (first wins)."""
    groups: list[tuple[str, list[str]]] = [
        ("._client", [feats.client.async_name, feats.client.sync_name]),
        (".models", list(feats.model_exports)),
    ]
    for target in [""] + [g.target for g in feats.overlays if g.target]:
        groups += [
            (module, features_mod.top_level_names(target, module, names))
            for module, names in _module_exports(files, target)
        ]
    seen: set[str] = set()
    result = []
    for module, names in groups:
        fresh = sorted({n for n in names if n not in seen})
        seen.update(fresh)
        if fresh:
            result.append((module, fresh))
    return sorted(result, key=lambda item: item[0].lower())


def subpackage_init(env: jinja2.Environment, group: features_mod.OverlayGroup, files: dict[str, OutFile]) -> str:
    """`__init__.py` for an overlay subpackage that has none: lazy re-exports of its modules."""
    exports = sorted(
        (module.replace("." + group.target, "", 1), names)
        for module, names in _module_exports(files, group.target)
    )
    submodules = ["models"] if f"{group.target}/models.py" in files else []
    return render.render(
        env,
        "_subpackage.py.jinja",
        doc=f"Overlay package from overlays/{group.source.name} (feature modules, imported lazily).",
        imports=exports,
        all_names=sorted(n for _, names in exports for n in names),
        submodules=submodules,
    )


_STDLIB = {"typing", "enum", "datetime", "decimal", "uuid", "ipaddress", "pathlib", "collections", "re"}


def fix_import_block(source: str) -> str:
    """Group datamodel-code-generator's leading imports (future / stdlib / third party), sorted."""
    lines = source.split("\n")
    imports: list[str] = []
    index = 0
    while index < len(lines) and (
        lines[index].startswith(("from ", "import ")) or not lines[index].strip()
    ):
        if lines[index].strip():
            if lines[index].rstrip().endswith("("):  # multi-line import: keep it whole
                block = [lines[index]]
                while not lines[index].strip().startswith(")"):
                    index += 1
                    block.append(lines[index])
                imports.append(" ".join(x.strip() for x in block).replace("( ", "(").replace(", )", ")"))
            else:
                imports.append(lines[index])
        index += 1
    rest = "\n".join(lines[index:])

    def module_of(line: str) -> str:
        return line.split()[1]

    def normalise(line: str) -> str:
        if not line.startswith("from "):
            return line
        module, _, names_text = line[len("from ") :].partition(" import ")
        names_text = names_text.strip().strip("()")
        names = sorted({n.strip() for n in names_text.split(",") if n.strip()}, key=render.isort_key)
        return f"from {module} import {', '.join(names)}"

    groups: list[list[str]] = [[], [], []]
    for line in imports:
        module = module_of(line).split(".")[0]
        bucket = 0 if module == "__future__" else 1 if module in _STDLIB else 2
        groups[bucket].append(normalise(line))
    blocks = ["\n".join(sorted(g, key=lambda line: (line.startswith("from "), module_of(line)))) for g in groups if g]
    return "\n\n".join(blocks) + "\n\n\n" + rest.lstrip("\n")
