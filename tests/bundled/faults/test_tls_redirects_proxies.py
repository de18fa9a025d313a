"""TLS (unknown CA, wrong host name, custom CA, client certificates), redirects across
origins, proxies and the environment: the clients' httpx pool as configured by the SDK's
options, sync and async. Certificates are made per test session with trustme."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any, Iterator, Tuple

import pytest
import trustme
from inference_gateway import APIConnectionError, AuthenticationError

from tests.bundled.faults.conftest import MakeClient
from tests.bundled.faults.server import FaultServer, chunked, redirect, sized
from tests.bundled.faults.test_faults import MODELS, call

TOKEN = "sk-redirect-secret"


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _tls_server(ca: trustme.CA, *names: str, client_ca: bool = False) -> FaultServer:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    if client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        ca.configure_trust(context)
    server = FaultServer(tls=context)
    server.reply = sized(MODELS)
    return server


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[FaultServer]:
    server = _tls_server(ca, "127.0.0.1", "localhost")
    yield server
    server.close()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


async def test_unknown_ca_is_refused_and_not_retried(tls_server: FaultServer, make: MakeClient) -> None:
    with pytest.raises(APIConnectionError, match="certificate was refused") as caught:
        await call(make(tls_server.url + "/v1", max_retries=2))
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert tls_server.requests == []


async def test_wrong_host_name_is_refused(ca: trustme.CA, ca_file: str, make: MakeClient) -> None:
    server = _tls_server(ca, "gateway.example.org")
    try:
        with pytest.raises(APIConnectionError, match="certificate was refused"):
            await call(make(server.url + "/v1", verify=ca_file))
        assert server.requests == []
    finally:
        server.close()


async def test_custom_ca_as_a_file_or_a_context(
    ca: trustme.CA, ca_file: str, tls_server: FaultServer, make: MakeClient
) -> None:
    assert (await call(make(tls_server.url + "/v1", verify=ca_file))).data
    context = ssl.create_default_context()
    ca.configure_trust(context)
    assert (await call(make(tls_server.url + "/v1", verify=context))).data
    assert (await call(make(tls_server.url + "/v1", verify=False))).data


async def test_client_certificate(ca: trustme.CA, ca_file: str, tmp_path: Path, make: MakeClient) -> None:
    server = _tls_server(ca, "127.0.0.1", client_ca=True)
    identity = ca.issue_cert("client@example.org")
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    identity.cert_chain_pems[0].write_to_path(str(cert))
    identity.private_key_pem.write_to_path(str(key))
    try:
        assert (await call(make(server.url + "/v1", verify=ca_file, cert=(str(cert), str(key))))).data
        with pytest.raises(APIConnectionError):
            await call(make(server.url + "/v1", verify=ca_file))
    finally:
        server.close()


async def test_with_options_changing_verify_gets_its_own_pool(
    ca_file: str, tls_server: FaultServer, make: MakeClient
) -> None:
    client = make(tls_server.url + "/v1")
    trusting = client.with_options(verify=ca_file)
    try:
        assert (await call(trusting)).data
        with pytest.raises(APIConnectionError):
            await call(client)
    finally:
        result = trusting.close()
        if result is not None:
            await result
    assert trusting._pool is not client._pool
    assert client.with_options(timeout=1.0, verify=True)._pool is client._pool  # verify unchanged


@pytest.fixture
def two_origins() -> Iterator[Tuple[FaultServer, FaultServer]]:
    first, second = FaultServer(), FaultServer()
    second.reply = sized(MODELS)
    yield first, second
    first.close()
    second.close()


async def test_redirect_to_another_origin_drops_the_token(
    two_origins: Tuple[FaultServer, FaultServer], make: MakeClient
) -> None:
    first, second = two_origins
    first.reply = redirect(second.url + "/v1/models")
    assert (await call(make(first.url + "/v1", token=TOKEN))).data
    assert first.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in second.requests[0].headers
    assert all(TOKEN not in value for value in second.requests[0].headers.values())


async def test_redirected_post_to_another_origin_drops_the_token(
    two_origins: Tuple[FaultServer, FaultServer], make: MakeClient
) -> None:
    from inference_gateway import Message

    first, second = two_origins
    first.reply = redirect(second.url + "/v1/chat/completions", "308 Permanent Redirect")
    second.reply = sized(b'{"error": "who are you"}', "401 Unauthorized")
    client = make(first.url + "/v1", token=TOKEN)
    with pytest.raises(AuthenticationError):
        result = client.create_chat_completion(model="m", messages=[Message(role="user", content="x")])
        if hasattr(result, "__await__"):
            await result
    assert "authorization" not in second.requests[0].headers
    assert second.requests[0].body == first.requests[0].body  # 308 keeps the body


async def test_same_origin_redirect_keeps_the_token(server: FaultServer, make: MakeClient) -> None:
    server.replies.append(redirect("/v1/models?page=2"))
    server.reply = sized(MODELS)
    assert (await call(make(server.url + "/v1", token=TOKEN))).data
    assert server.requests[1].target == "/v1/models?page=2"
    assert server.requests[1].headers["authorization"] == f"Bearer {TOKEN}"


async def test_redirect_loop_is_typed(server: FaultServer, make: MakeClient) -> None:
    server.reply = redirect("/v1/models")
    with pytest.raises(APIConnectionError, match="TooManyRedirects"):
        await call(make(server.url + "/v1", max_retries=2))
    assert len(server.requests) == 21  # httpx's 20 redirects, then no retry


@pytest.fixture
def proxy() -> Iterator[FaultServer]:
    running = FaultServer()
    running.reply = sized(MODELS)
    yield running
    running.close()


async def test_proxy_option(proxy: FaultServer, make: MakeClient) -> None:
    assert (await call(make("http://gateway.invalid/v1", proxy=proxy.url))).data
    assert proxy.requests[0].target == "http://gateway.invalid/v1/models"  # absolute form


async def test_proxy_from_the_environment_unless_trust_env_is_off(
    proxy: FaultServer, server: FaultServer, make: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.reply = sized(MODELS)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    assert (await call(make(server.url + "/v1"))).data
    assert len(proxy.requests) == 1 and server.requests == []
    assert (await call(make(server.url + "/v1", trust_env=False))).data
    assert len(proxy.requests) == 1 and len(server.requests) == 1
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert (await call(make(server.url + "/v1"))).data
    assert len(proxy.requests) == 1 and len(server.requests) == 2


async def test_http2_option(ca_file: str, tls_server: FaultServer, make: MakeClient) -> None:
    # The server speaks HTTP/1.1 only: ALPN settles on it, the option must not get in the way.
    client = make(tls_server.url + "/v1", verify=ca_file, http2=True)
    assert (await call(client)).data
    assert client._pool.get()._transport._pool._http2 is True


def test_transport_options_are_refused_with_an_own_http_client() -> None:
    import httpx
    from inference_gateway import InferenceGatewayClient

    with httpx.Client() as http:
        with pytest.raises(TypeError, match="http_client"):
            InferenceGatewayClient("http://127.0.0.1:1/v1", http_client=http, verify=False)
        client = InferenceGatewayClient("http://127.0.0.1:1/v1", http_client=http)
        with pytest.raises(TypeError, match="http_client"):
            client.with_options(proxy="http://127.0.0.1:2")


async def test_pool_limits_fit_many_concurrent_streams(make: MakeClient) -> None:
    pool: Any = make("http://127.0.0.1:1/v1")._pool.get()._transport._pool
    assert pool._max_connections == 1000 and pool._max_keepalive_connections == 1000
    assert pool._keepalive_expiry == 30.0
    assert type(pool).__name__ in ("LinearConnectionPool", "LinearAsyncConnectionPool")


def _tls_garbage(sock: Any) -> None:
    """Bytes that are no TLS record, written under the TLS layer: the client's next read fails
    in the TLS library itself (an ``ssl.SSLError``, which anyio passes on raw)."""
    import socket

    socket.socket.sendall(sock, b"\x17\x03\x03\x00\x20" + b"\x00" * 32)


@pytest.mark.parametrize("what", ["chat stream", "A2A stream"])
async def test_tls_failure_mid_stream_is_a_stream_error(
    what: str, mode: str, ca_file: str, tls_server: FaultServer, make: MakeClient
) -> None:
    """A TLS record that fails to decrypt mid-stream ends the stream with our `StreamError`:
    no `ssl.SSLError` escapes, on the gateway's streams and on A2A streams alike."""
    from inference_gateway import StreamError
    from inference_gateway.a2a import A2AClient, AsyncA2AClient

    tls_server.reply = chunked([b": ping\n\n"], then=_tls_garbage)
    if what == "chat stream":
        client = make(tls_server.url + "/v1", verify=ca_file)
        events = client.create_chat_completion_stream(model="m", messages=[{"role": "user", "content": "hi"}])
    else:
        cls = A2AClient if mode == "sync" else AsyncA2AClient
        client = cls(tls_server.url, protocol_version="1.0", verify=ca_file, max_retries=0, timeout=2.0)
        events = client.send_message_stream("hi")
    try:
        with pytest.raises(StreamError):
            if mode == "sync":
                list(events)
            else:
                [event async for event in events]
    finally:
        if what == "A2A stream":
            closed = client.close()
            if closed is not None:
                await closed
