"""Which server each operation is sent to, and the base path the client's base URL stands for.

The rule (stated in the README):

* An operation's server is its own `servers` entry, else its path item's, else a root server:
  when root servers list the tags they serve (`x-server-tags`, the gateway's convention), the
  first one serving one of the operation's tags; otherwise the primary server.
* The primary server is the root server that serves the most paths (ties: the first listed);
  without `x-server-tags` it is simply the first root server, as OpenAPI says.
* Only a server's path matters: an operation's request path is its server's path + its
  template (`/v1` + `/models`). The host is the user's business (`base_url`).
* The client's `base_url` stands for the primary server, so the runtime reaches the origin by
  removing the base path from the end of `base_url` when it is there. The base path is the
  primary server's path; when that server is the origin itself (paths written absolute, like
  `/v1/models`), it is the first path segment more paths share than any other (`/v1`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_VARIABLE = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Routed:
    """Where one operation goes: the server path and the full request path template."""

    server_path: str  # "" or "/v1"
    path: str  # server_path + template


@dataclass(frozen=True)
class Layout:
    base_path: str
    routes: dict[str, Routed]  # operation pointer -> route


def server_path(server: Any) -> str:
    """The path part of a server object's URL (variables at their defaults), without a final /."""
    if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
        return ""
    variables = server.get("variables") if isinstance(server.get("variables"), Mapping) else {}

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1)) if variables else None
        value = variable.get("default") if isinstance(variable, Mapping) else None
        return str(value) if value is not None else ""

    url = _VARIABLE.sub(default, server["url"])
    path = urlsplit(url).path if "://" in url or url.startswith("//") else url.split("?")[0]
    return "/" + path.strip("/") if path.strip("/") else ""


def _tags(server: Any) -> set[str]:
    tags = server.get("x-server-tags") if isinstance(server, Mapping) else None
    return {t for t in tags if isinstance(t, str)} if isinstance(tags, list) else set()


def _first(servers: Any) -> Mapping[str, Any] | None:
    if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
        return servers[0]
    return None


def layout(data: Mapping[str, Any], operations: Sequence[tuple[str, str, Mapping[str, Any]]]) -> Layout:
    """Route every operation, given (pointer, template, operation) in spec order."""
    root = [s for s in data.get("servers") or [] if isinstance(s, Mapping)]
    tagged = any(_tags(s) for s in root)
    paths = data.get("paths") or {}

    def tag_server(op: Mapping[str, Any]) -> int | None:
        op_tags = {t for t in op.get("tags") or [] if isinstance(t, str)}
        return next((i for i, s in enumerate(root) if _tags(s) & op_tags), None)

    primary = 0
    if tagged:
        served: Counter[int] = Counter()
        for template in dict.fromkeys(t for _, t, op in operations if tag_server(op) is not None):
            indices = {tag_server(op) for _, t, op in operations if t == template}
            served.update(i for i in indices if i is not None)
        if served:
            best = max(served.values())
            primary = min(i for i, count in served.items() if count == best)
    primary_path = server_path(root[primary]) if root else ""

    routes: dict[str, Routed] = {}
    for pointer, template, op in operations:
        item = paths.get(template)
        own = _first(op.get("servers")) or (_first(item.get("servers")) if isinstance(item, Mapping) else None)
        if own is not None:
            prefix = server_path(own)
        elif tagged and (index := tag_server(op)) is not None:
            prefix = server_path(root[index])
        else:
            prefix = primary_path
        routes[pointer] = Routed(prefix, prefix + template)
    base_path = primary_path or _shared_segment([r.path for r in routes.values()])
    return Layout(base_path=base_path, routes=routes)


def _shared_segment(paths: list[str]) -> str:
    """The first path segment more distinct paths start with than any other (at least two),
    else "": `/v1` for `/v1/models`, `/v1/chat/completions`, `/health`, `/proxy/{p}`."""
    firsts = Counter(p.lstrip("/").split("/", 1)[0] for p in set(paths))
    ranked = firsts.most_common(2)
    if not ranked:
        return ""
    segment, count = ranked[0]
    unique = len(ranked) == 1 or ranked[1][1] < count
    if segment and "{" not in segment and count >= 2 and unique:
        return "/" + segment
    return ""
