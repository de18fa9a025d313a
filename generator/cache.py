"""Content-addressed cache for the slow, pure steps (validation, model generation, black).

Each entry is keyed by a hash of everything its output depends on: the input bytes, the tool's
version and the generator source that sets the options. A hit therefore returns exactly what the
step would compute, so the output stays byte-identical with or without the cache; it only saves
time when `check` follows `generate` or a spec change touches one step. Stored under
`.cache/generator/` (git-ignored); `--no-cache` or `IGW_GENERATOR_CACHE=off` disables it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

_GENERATOR_DIR = Path(__file__).resolve().parent
DEFAULT_DIR = _GENERATOR_DIR.parent / ".cache" / "generator"


@functools.cache
def tool_version(distribution: str) -> str:
    from importlib import metadata  # only with the cache on: its import is a cold run's cost

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


@functools.cache  # one process = one version of the generator's source
def source_fingerprint(*modules: str) -> str:
    """Hash of generator modules whose code decides a step's output (e.g. `models.py`)."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update((_GENERATOR_DIR / module).read_bytes())
    return digest.hexdigest()


class Cache:
    """Files named by key under `root`; `root=None` disables caching."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0

    @classmethod
    def default(cls, enabled: bool = True) -> Cache:
        setting = os.environ.get("IGW_GENERATOR_CACHE", "")
        if not enabled or setting.lower() in ("0", "off", "no", "false"):
            return cls(None)
        return cls(Path(setting) if setting and setting not in ("1", "on") else DEFAULT_DIR)

    @staticmethod
    def key(namespace: str, *parts: str | bytes) -> str:
        digest = hashlib.sha256(namespace.encode())
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return f"{namespace}-{digest.hexdigest()}"

    @property
    def enabled(self) -> bool:
        """False for `--no-cache`: callers skip computing keys (tool versions, hashes)."""
        return self.root is not None

    def get(self, key: str) -> bytes | None:
        if self.root is None:
            return None
        try:
            data = (self.root / key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, key: str, data: bytes) -> None:
        """Store atomically; a cache that cannot be written is simply not used."""
        if self.root is None:
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, self.root / key)
        except OSError:
            return
