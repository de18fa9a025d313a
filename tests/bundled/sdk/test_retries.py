"""Retries: which failures, how many attempts, how long between them, and never mid-stream."""

from __future__ import annotations

import email.utils
import time
from typing import Any, Callable, List, Tuple

import pytest
from inference_gateway import (
    APIConnectionError,
    BadRequestError,
    InferenceGatewayAPIError,
    InternalServerError,
    Message,
    RateLimitError,
    RetryConfig,
    StreamError,
)
from inference_gateway._retry import parse_retry_after

from tests.bundled.sdk._helpers import collect, collect_into, resolve
from tests.fakegw import FakeGateway

CHAT = "/v1/chat/completions"
HELLO = [Message(role="user", content="hi")]
OK_MODELS = {"object": "list", "data": []}


class Recorder:
    """An ``on_retry`` callback that keeps its calls."""

    def __init__(self) -> None:
        self.calls: List[Tuple[int, BaseException, float]] = []

    def __call__(self, attempt: int, error: BaseException, delay: float) -> None:
        self.calls.append((attempt, error, delay))


def fast(recorder: Recorder, **overrides: Any) -> RetryConfig:
    settings = {"initial_backoff": 0.001, "max_backoff": 0.005, "on_retry": recorder}
    settings.update(overrides)
    return RetryConfig(**settings)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retryable_statuses_are_retried_until_success(
    any_client: Callable[..., Any], gateway: FakeGateway, status: int
) -> None:
    recorder = Recorder()
    client = any_client(retry=fast(recorder))
    gateway.enqueue("GET", "/v1/models", status=status, json={"error": "try again"}, times=2)
    models = await resolve(client.list_models())
    assert models.data
    assert len(gateway.requests_to("GET", "/v1/models")) == 3
    expected = {408: InferenceGatewayAPIError, 429: RateLimitError}.get(status, InternalServerError)
    assert [(a, type(e), e.status_code) for a, e, _ in recorder.calls] == [
        (1, expected, status),
        (2, expected, status),
    ]


async def test_gives_up_after_max_retries(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    recorder = Recorder()
    client = any_client(retry=fast(recorder), max_retries=3)
    gateway.enqueue("POST", CHAT, status=503, json={"error": "overloaded"}, times=10)
    with pytest.raises(InternalServerError, match="overloaded"):
        await resolve(client.create_chat_completion("m", HELLO))
    assert len(gateway.requests_to("POST", CHAT)) == 4
    assert [call[0] for call in recorder.calls] == [1, 2, 3]
    # every attempt sent the same body
    assert len({r.raw for r in gateway.requests_to("POST", CHAT)}) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
async def test_client_errors_are_not_retried(
    any_client: Callable[..., Any], gateway: FakeGateway, status: int
) -> None:
    recorder = Recorder()
    client = any_client(retry=fast(recorder))
    gateway.enqueue("POST", CHAT, status=status, json={"error": "no"}, times=3)
    with pytest.raises(Exception) as info:
        await resolve(client.create_chat_completion("m", HELLO))
    assert getattr(info.value, "status_code", None) == status
    assert len(gateway.requests_to("POST", CHAT)) == 1
    assert recorder.calls == []


async def test_retryable_codes_are_configurable(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client(retry=fast(Recorder(), retryable_status_codes={400}))
    gateway.enqueue("GET", "/v1/models", status=400, json={"error": "flaky"})
    assert (await resolve(client.list_models())).data
    gateway.enqueue("GET", "/v1/models", status=503, json={"error": "down"})
    with pytest.raises(InternalServerError):
        await resolve(client.list_models())


async def test_connection_errors_are_retried(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    recorder = Recorder()
    client = any_client(retry=fast(recorder))
    gateway.enqueue("GET", "/v1/models", drop=True, times=2)
    assert (await resolve(client.list_models())).data
    assert len(gateway.requests_to("GET", "/v1/models")) == 3
    assert all(isinstance(error, APIConnectionError) for _, error, _ in recorder.calls)

    gateway.enqueue("GET", "/v1/models", drop=True, times=3)
    with pytest.raises(APIConnectionError):
        await resolve(client.list_models())

    no_conn = any_client(retry=fast(Recorder(), retry_connection_errors=False))
    gateway.enqueue("GET", "/v1/models", drop=True)
    with pytest.raises(APIConnectionError):
        await resolve(no_conn.list_models())


async def test_backoff_bounds(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    recorder = Recorder()
    config = RetryConfig(
        max_retries=4, initial_backoff=0.01, multiplier=2.0, max_backoff=0.03, jitter=0.5, on_retry=recorder
    )
    client = any_client(retry=config)
    gateway.enqueue("GET", "/v1/models", status=502, json={"error": "bad gateway"}, times=4)
    started = time.monotonic()
    assert (await resolve(client.list_models())).data
    elapsed = time.monotonic() - started
    delays = [delay for _, _, delay in recorder.calls]
    bounds = [(0.005, 0.01), (0.01, 0.02), (0.015, 0.03), (0.015, 0.03)]
    for delay, (low, high) in zip(delays, bounds):
        assert low <= delay <= high, (delays, bounds)
    assert elapsed >= sum(delays)


def test_backoff_without_jitter_is_exact() -> None:
    config = RetryConfig(initial_backoff=0.5, multiplier=3.0, max_backoff=4.0, jitter=0.0)
    assert [config.backoff(n) for n in (1, 2, 3, 4)] == [0.5, 1.5, 4.0, 4.0]
    with pytest.raises(ValueError, match="max_retries"):
        RetryConfig(max_retries=-1)
    with pytest.raises(ValueError, match="jitter"):
        RetryConfig(jitter=2)


async def test_retry_after_seconds(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    recorder = Recorder()
    client = any_client(retry=fast(recorder, max_retry_after=5.0))
    gateway.enqueue("GET", "/v1/models", status=429, headers={"Retry-After": "0.3"}, json={"error": "slow"})
    started = time.monotonic()
    assert (await resolve(client.list_models())).data
    assert time.monotonic() - started >= 0.3
    assert len(recorder.calls) == 1
    attempt, error, delay = recorder.calls[0]
    assert attempt == 1 and isinstance(error, RateLimitError) and delay == pytest.approx(0.3)


async def test_retry_after_beyond_the_cap_is_not_waited_for(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    recorder = Recorder()
    client = any_client(retry=fast(recorder, max_retry_after=0.2))
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    gateway.enqueue("GET", "/v1/models", status=503, headers={"Retry-After": later}, json={"error": "x"})
    with pytest.raises(InternalServerError) as caught:
        await resolve(client.list_models())
    assert recorder.calls == []  # 30 s asked, more than max_retry_after: raised at once
    assert caught.value.headers["retry-after"] == later  # the caller can see when to come back
    assert len(gateway.requests_to("GET", "/v1/models")) == 1


@pytest.mark.parametrize("retry_after", ["99999", "61"])
async def test_a_huge_retry_after_never_blocks_with_the_defaults(
    any_client: Callable[..., Any], gateway: FakeGateway, retry_after: str
) -> None:
    client = any_client(retry=RetryConfig())
    gateway.enqueue("POST", CHAT, status=429, headers={"Retry-After": retry_after}, json={"error": "later"})
    started = time.monotonic()
    with pytest.raises(RateLimitError):
        await resolve(client.create_chat_completion(model="openai/gpt-4o", messages=HELLO))
    assert time.monotonic() - started < 5


async def test_total_timeout_bounds_the_retries_of_a_call(
    any_client: Callable[..., Any], gateway: FakeGateway
) -> None:
    recorder = Recorder()
    # Each wait is 1.5 s; the budget of 2.5 s leaves room for one retry only (the second would
    # end at >= 3 s), however slow the machine's first attempt (up to 1 s).
    config = RetryConfig(
        max_retries=5, initial_backoff=1.5, multiplier=1.0, jitter=0.0, total_timeout=2.5, on_retry=recorder
    )
    client = any_client(retry=config)
    gateway.enqueue("GET", "/v1/models", status=503, json={"error": "down"}, times=6)
    started = time.monotonic()
    with pytest.raises(InternalServerError):
        await resolve(client.list_models())
    assert [call[0] for call in recorder.calls] == [1]
    assert len(gateway.requests_to("GET", "/v1/models")) == 2
    assert time.monotonic() - started < 5


def test_wait_decides_every_retry() -> None:
    config = RetryConfig(max_retries=2, initial_backoff=1.0, jitter=0.0, max_retry_after=10.0, total_timeout=20.0)
    assert config.wait(1, elapsed=0.0) == 1.0
    assert config.wait(3, elapsed=0.0) is None  # out of retries
    assert config.wait(1, elapsed=0.0, headers={"retry-after": "5"}) == 5.0
    assert config.wait(1, elapsed=0.0, headers={"retry-after": "11"}) is None  # above max_retry_after
    assert config.wait(1, elapsed=16.0, headers={"retry-after": "5"}) is None  # past the budget
    assert config.wait(1, elapsed=19.5) is None
    assert RetryConfig(total_timeout=None, jitter=0.0).wait(1, elapsed=1e9) == 0.5
    with pytest.raises(ValueError, match="total_timeout"):
        RetryConfig(total_timeout=-1)


def test_parse_retry_after() -> None:
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 7, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=now) == pytest.approx(7.0)
    assert parse_retry_after({"retry-after": email.utils.formatdate(now - 60, usegmt=True)}, now=now) == 0.0
    assert parse_retry_after({"retry-after": "2"}) == 2.0
    assert parse_retry_after({"retry-after-ms": "250"}) == 0.25
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({"retry-after": "-1"}) is None
    assert parse_retry_after({}) is None


async def test_with_options_max_retries_zero(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    gateway.enqueue("GET", "/v1/models", status=503, json={"error": "down"})
    with pytest.raises(InternalServerError):
        await resolve(client.with_options(max_retries=0).list_models())
    assert len(gateway.requests) == 1
    assert client.max_retries == 2


async def test_stream_retried_before_it_starts(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    recorder = Recorder()
    client = any_client(retry=fast(recorder))
    gateway.enqueue("POST", CHAT, status=503, json={"error": "warming up"})
    gateway.enqueue("POST", CHAT, drop=True)
    events = await collect(client.create_chat_completion_stream("m", HELLO))
    assert events and len(gateway.requests_to("POST", CHAT)) == 3
    assert len(recorder.calls) == 2


async def test_stream_not_retried_after_first_event(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    recorder = Recorder()
    client = any_client(retry=fast(recorder))
    first = b'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[]}\n\n'
    gateway.enqueue("POST", CHAT, chunks=[first, first, first], drop_after_chunks=1)
    seen: List[Any] = []
    with pytest.raises(StreamError):
        await collect_into(client.create_chat_completion_stream("m", HELLO), seen)
    assert len(seen) == 1
    assert len(gateway.requests_to("POST", CHAT)) == 1
    assert recorder.calls == []


async def test_stream_error_status_is_typed(any_client: Callable[..., Any], gateway: FakeGateway) -> None:
    client = any_client()
    gateway.enqueue("POST", CHAT, status=400, json={"error": "bad stream request"})
    with pytest.raises(BadRequestError, match="bad stream request"):
        await collect(client.create_chat_completion_stream("m", HELLO))
