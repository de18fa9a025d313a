"""The benchmark server sends valid, identical stream bytes in both framings (no timings here)."""

from __future__ import annotations

import json

import httpx
import pytest

from bench._server import stream_events
from bench._util import OURS_PYTHON, WORKERS, bench_server, ours_env, run_json


def _events(url: str, n_chunks: int) -> list:
    body = {
        "model": f"bench-{n_chunks}",
        "messages": [{"role": "user", "content": "hi"}],
        "stream": True,
    }
    with (
        httpx.Client(timeout=10) as client,
        client.stream("POST", f"{url}/chat/completions", json=body) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream"
        raw = response.read()
    return [event for event in raw.split(b"\n\n") if event]


@pytest.mark.parametrize("write_size", [0, 100, 65536])
def test_stream_bytes_do_not_depend_on_framing(write_size: int) -> None:
    with bench_server(write_size=write_size) as url:
        events = _events(url, 50)
    assert b"".join(e + b"\n\n" for e in events) == b"".join(stream_events(50))
    chunks = [json.loads(e[len(b"data: ") :]) for e in events[:-1]]
    assert events[-1] == b"data: [DONE]"
    assert len(chunks) == 51  # 50 content chunks and the usage chunk
    assert chunks[1]["choices"][0]["finish_reason"] is None
    assert chunks[49]["choices"][0]["finish_reason"] == "stop"
    assert chunks[50]["choices"] == [] and chunks[50]["usage"]["completion_tokens"] == 50


def test_completion_health_and_not_found() -> None:
    with bench_server() as url, httpx.Client(timeout=10) as client:
        for _ in range(3):
            response = client.post(
                f"{url}/chat/completions", json={"model": "bench-0", "messages": []}
            )
            assert response.json()["choices"][0]["message"]["role"] == "assistant"
        assert client.get(f"{url.rsplit('/v1', 1)[0]}/health").status_code == 200
        assert client.get(f"{url}/nope").status_code == 404


@pytest.mark.parametrize("worker", ["stream_floor.py", "stream_ours.py", "stream_transport.py"])
def test_stream_workers_consume_every_chunk(worker: str) -> None:
    """Each contender's worker reads the whole stream (its own check: N content chunks + usage)."""
    with bench_server(write_size=0) as url:
        out = run_json([OURS_PYTHON, WORKERS / worker, url, 300, "once"], ours_env(), timeout=120)
    assert out["chunks"] == 301
    assert out["maxrss_mib"] > 0
