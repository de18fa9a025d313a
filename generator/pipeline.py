"""The stages in order: load -> validate -> prepare -> models -> IR -> features -> render -> files.

`build` returns the complete package in memory; cli.py decides whether to write it (generate)
or compare it (check).
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

@dataclass
class Options:
    spec: Path = DEFAULT_SPEC
    a2a_spec: Path | None = None
    output: Path = DEFAULT_OUTPUT
    package: str = write.DEFAULT_PACKAGE
    templates: Path = DEFAULT_TEMPLATES
    overlays: Path = DEFAULT_OVERLAYS
    cache: Cache = field(default_factory=lambda: Cache(None))


@dataclass
class Result:
    contents: dict[str, bytes]
    schemas: int
    operations: int
    methods: int  # per client (sync and async have the same count)
    features: list[str]
    seconds: float
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
    a2a_prepared = ir.prepare(specs[1]) if len(specs) > 1 else None
    a2a_job: Background[models.ModelsModule] | None = None
    if (
        a2a_prepared is not None
        and models.needs_tool(prepared.model_spec, options.cache)
        and models.needs_tool(a2a_prepared.model_spec, options.cache)
    ):
        # Both specs need datamodel-code-generator: import it once, then a child generates the
        # A2A models while this process generates the main ones.
        models.preload()
        a2a_job = Background(
            models.generate_in_child, a2a_prepared.model_spec, specs[1].display, options.cache
        )
    try:
        return _assemble(options, specs, formatter, overlay_files, prepared, a2a_prepared, a2a_job)
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
    a2a_prepared: ir.Prepared | None,
    a2a_job: Background[models.ModelsModule] | None,
) -> tuple[dict[str, bytes], dict[str, Any]]:
    spec = specs[0]
    models_module = models.generate_models(
        prepared.model_spec, source_name=spec.display, cache=options.cache
    )
    api = ir.build(prepared)
    ir.check_models(api, models_module.source, spec)
    a2a_available = options.a2a_spec is not None
    feats = features_mod.select(api, options.overlays, a2a_available=a2a_available)
    env = render.make_environment(options.templates)
    spec_label = label(options.spec)

    files: dict[str, OutFile] = {}
    files["models.py"] = OutFile(
        text=render.fix_import_block(models_module.source), source=spec_label, python=True
    )
    formatter.start("models.py", files["models.py"])
    files["_operations.py"] = OutFile(
        text=render.render_operations(env, api), source=f"{spec_label} with templates/_operations.py.jinja", python=True
    )
    formatter.start("_operations.py", files["_operations.py"])
    files["_client.py"] = OutFile(
        text=render.render(
            env, "_client.py.jinja", title=api.title, mixins=feats.mixins, features=feats.names
        ),
        source=f"{spec_label} with templates/_client.py.jinja",
        python=True,
    )
    for group in feats.overlays:
        for rel, overlay in overlay_files.get(group.source.name, {}).items():
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
        ir.check_models(ir.build(a2a_prepared), a2a_models.source, specs[1])
        files["a2a/models.py"] = OutFile(
            text=render.fix_import_block(a2a_models.source), source=label(options.a2a_spec), python=True
        )
        formatter.start("a2a/models.py", files["a2a/models.py"])
    exports = render.top_level_exports(files, feats)
    for group in feats.overlays:
        if group.target and f"{group.target}/__init__.py" not in files:
            files[f"{group.target}/__init__.py"] = OutFile(
                text=render.subpackage_init(env, group, files),
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
        "schemas": api.schema_count,
        "operations": len(api.operations),
        "methods": api.method_count,
        "features": feats.names,
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
