"""The stages in order: load -> validate -> prepare -> models -> IR -> features -> render -> files.

`build` returns the complete package in memory; cli.py decides whether to write it (generate)
or compare it (check).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import features as features_mod
from . import ir, load, models, params, render, unasync, write
from .cache import Cache, source_fingerprint, tool_version
from .write import OutFile

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = REPO_ROOT / "specs" / "openapi.yaml"
DEFAULT_A2A_SPEC = REPO_ROOT / "specs" / "a2a.yaml"
DEFAULT_TEMPLATES = REPO_ROOT / "templates"
DEFAULT_OVERLAYS = REPO_ROOT / "overlays"
DEFAULT_OUTPUT = REPO_ROOT / "generated"

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
    lenient: bool = False  # spec defects load.LENIENT lists become warnings


@dataclass
class Result:
    contents: dict[str, bytes]
    schemas: int
    operations: int
    methods: int  # per client (sync and async have the same count)
    features: list[str]
    seconds: float
    warnings: list[load.SpecWarning] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # overlay modules the spec cannot support


def label(path: Path) -> str:
    """How a source file is named in headers: relative to the repository, else its name."""
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return path.name


def load_spec(path: Path, cache: Cache | None = None, *, lenient: bool = False) -> load.Spec:
    """Load and validate; a document validated before (same bytes, same tools) is not re-run.

    With `lenient`, the defects load.LENIENT lists are repaired in the loaded data and
    reported in `spec.warnings`; a lenient result is not cached (its repairs live in memory).
    """
    spec = load.load(path)
    cache = cache or Cache(None)
    key = "" if lenient or not cache.enabled else _validation_key(spec)
    if not key or cache.get(key) is None:
        load.validate(spec, lenient=lenient)
        if key:
            cache.put(key, b"ok")
    return spec


def _validation_key(spec: load.Spec) -> str:
    return Cache.key(
        "valid", spec.text, tool_version("openapi-spec-validator"), source_fingerprint("load.py")
    )


def build(options: Options) -> Result:
    """Generate the whole package in memory; raises SpecError/WriteError on failure."""
    start = time.perf_counter()
    if not options.package.isidentifier():
        raise write.WriteError(f"--package-name {options.package!r} is not a valid Python package name")
    if options.a2a_spec is not None and not options.a2a_spec.is_file():
        raise load.SpecError(str(options.a2a_spec), "/", None, "the A2A spec does not exist")
    spec = load_spec(options.spec, options.cache, lenient=options.lenient)
    a2a_spec = None
    if options.a2a_spec is not None and features_mod.uses_a2a(options.overlays, a2a_available=True):
        a2a_spec = load_spec(options.a2a_spec, options.cache)
    files, summary = _assemble(options, spec, a2a_spec, read_overlays(options.overlays))
    contents = write.render_files(files, options.cache)
    write.check_package_name(contents, options.package)
    return Result(
        contents=contents,
        seconds=time.perf_counter() - start,
        warnings=spec.warnings,
        **summary,
    )


def _assemble(
    options: Options,
    spec: load.Spec,
    a2a_spec: load.Spec | None,
    overlay_files: dict[str, dict[str, OutFile]],
) -> tuple[dict[str, OutFile], dict[str, Any]]:
    """Every file of the package, unformatted, and the numbers of the summary line."""
    prepared = models.tolerant(ir.prepare(spec), options.response_required)
    models_module = models.generate_models(prepared.model_spec, source_name=spec.display, cache=options.cache)
    api = ir.build(prepared)
    ir.check_models(api, models_module.source, spec)
    a2a_prepared = None if a2a_spec is None else ir.prepare(a2a_spec)
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
        text=render.fix_import_block(models_module.source), source=spec_label, python=True
    )
    files["_operations.py"] = OutFile(
        text=render.render_operations(env, api), source=f"{spec_label} with templates/_operations.py.jinja", python=True
    )
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
    files["params.py"] = OutFile(  # after the overlays: their `__kwargs__` are written in it
        text=params.render_params(env, api, files),
        source=f"{spec_label} with templates/params.py.jinja",
        python=True,
    )
    if feats.a2a and a2a_spec is not None and a2a_prepared is not None and options.a2a_spec is not None:
        a2a_models = models.generate_models(
            a2a_prepared.model_spec, source_name=a2a_spec.display, cache=options.cache, runtime=".._types"
        )
        ir.check_models(ir.build(a2a_prepared), a2a_models.source, a2a_spec)
        files["a2a/models.py"] = OutFile(
            text=render.fix_import_block(a2a_models.source), source=label(options.a2a_spec), python=True
        )
    exports = render.top_level_exports(files, feats)
    for group in feats.overlays:
        if group.target and f"{group.target}/__init__.py" not in files:
            files[f"{group.target}/__init__.py"] = OutFile(
                text=render.subpackage_init(env, group, files),
                source="templates/_subpackage.py.jinja",
                python=True,
            )
    submodules = ["models", "params"] + [g.target for g in feats.overlays if g.target]
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
    files["API.md"] = OutFile(  # bytes: Markdown gets no `#` header; the template writes its own
        text=None,
        data=render.api_reference(env, api, feats, files, f"{spec_label} with templates/api.md.jinja").encode(),
        source=f"{spec_label} with templates/api.md.jinja",
    )
    summary = {
        "schemas": api.schema_count,
        "operations": len(api.operations),
        "methods": api.method_count,
        "features": feats.names,
        "left_out": feats.left_out,
    }
    return files, summary


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
