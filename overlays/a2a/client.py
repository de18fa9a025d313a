"""`A2AClient` / `AsyncA2AClient`: typed JSON-RPC clients for A2A agents (protocol 1.0 and 0.3).

Both sit on the SDK's own transport (`SyncAPIClient` / `AsyncAPIClient`): the same retries,
timeouts, HTTP errors and connection pool as the gateway client. Request building, version
translation and response checking live in `_protocol` and are shared; the clients only do I/O.
`AsyncA2AClient` is written here and the generator derives `A2AClient` from it (see the marker
above the class), so every method is written once. An agent is reached by URL (its card is
discovered at `/.well-known/agent-card.json`, falling back to `/.well-known/agent.json`), from a
card, or through the gateway's agent list.
"""

from __future__ import annotations

import contextlib
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
    cast,
)
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel

from .._base_client import AsyncAPIClient, Operation, SyncAPIClient
from .._operations import _OP_GET_AGENT
from .._types import NOT_GIVEN, NotGiven, Timeout
from ..errors import NotFoundError
from ._protocol import (
    A2AEvent,
    Protocol,
    RequestId,
    RPCCall,
    card_urls,
    decode_json,
    normalize_version,
    parse_card,
    select_endpoint,
)
from ._stream import A2AStream, AsyncA2AStream, Opened
from .errors import A2AResponseError
from .models import (
    AgentCard,
    Artifact,
    AuthenticationInfo,
    ListTaskPushNotificationConfigsResponse,
    ListTasksResponse,
    Message,
    Part,
    Task,
    TaskArtifactUpdateEvent,
    TaskPushNotificationConfig,
    TaskStatus,
    TaskStatusUpdateEvent,
)

__all__ = [
    "A2AClient",
    "AgentCard",
    "Artifact",
    "AsyncA2AClient",
    "AuthenticationInfo",
    "ListTaskPushNotificationConfigsResponse",
    "ListTasksResponse",
    "Message",
    "Part",
    "Task",
    "TaskArtifactUpdateEvent",
    "TaskPushNotificationConfig",
    "TaskStatus",
    "TaskStatusUpdateEvent",
]
# The A2A client comes with gateways that list agents (`from_gateway` calls `get_agent`).
__requires__ = {"operations": ["get_agent"]}

T = TypeVar("T")

if TYPE_CHECKING:
    import httpx
    from typing_extensions import Self

    from .._base_client import _BaseClient

    # Type the mixin as the transport it is always combined with (first in the MRO).
    _MixinBase = _BaseClient[Any]
else:
    _MixinBase = object

# Both operations take the URL path as their only (sub-path) parameter: the A2A client's base URL
# is the agent's origin, so any endpoint path the card names can be reached.
_RPC = Operation(name="a2a_jsonrpc", method="POST", path="/{path}", response_type=bytes)
_CARD = Operation(name="a2a_agent_card", method="GET", path="/{path}", response_type=bytes)

MessageInput = Union[str, Message, Mapping[str, Any]]
PushConfigInput = Union[TaskPushNotificationConfig, Mapping[str, Any], None]
#: ``auth_headers=``: called before every request (card and calls); its headers are sent with it.
HeadersHook = Callable[[], Mapping[str, str]]


def _split(url: str) -> Tuple[str, str]:
    """(origin, path) of an absolute URL; the query string stays with the path."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"A2A agent URL must be absolute (http://host/...), got {url!r}")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return f"{parts.scheme}://{parts.netloc}", path


def _card_from(value: Any) -> AgentCard:
    """An `AgentCard` from our model, the gateway's card model or a dict."""
    if isinstance(value, AgentCard):
        return value
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return parse_card(value, url="(given card)")


def _gateway_options(gateway: Any, options: Dict[str, Any]) -> Dict[str, Any]:
    """The client options, with timeout and retry taken from the gateway client unless given."""
    options.setdefault("timeout", gateway.timeout)
    options.setdefault("retry", gateway.retry)
    return options


class _Endpoint:
    """Where and how to talk to one agent (card location, authentication); filled lazily by
    card discovery."""

    __slots__ = (
        "agent_url",
        "auth",
        "auth_headers",
        "card",
        "card_path",
        "protocol",
        "rpc_url",
        "wanted",
    )

    def __init__(
        self,
        agent_url: str,
        wanted: Optional[str],
        card: Optional[AgentCard],
        card_path: Optional[str] = None,
        auth: Optional[httpx.Auth] = None,
        auth_headers: Optional[HeadersHook] = None,
    ) -> None:
        self.agent_url = agent_url
        self.card_path = card_path
        self.auth = auth
        self.auth_headers = auth_headers
        self.wanted = normalize_version(wanted) if wanted else None
        self.card: Optional[AgentCard] = None
        self.protocol: Optional[Protocol] = None
        self.rpc_url: Optional[str] = None
        if card is not None:
            self.adopt(card)
        elif self.wanted:
            # The caller named the version: talk to the URL as given, no discovery needed.
            self.protocol, self.rpc_url = Protocol(self.wanted), agent_url

    def card_urls(self) -> List[str]:
        """Where the card is: ``card_path`` (absolute, or relative to the agent URL), else the
        well-known locations."""
        if self.card_path is None:
            return card_urls(self.agent_url)
        return [urljoin(self.agent_url.rstrip("/") + "/", self.card_path)]

    def headers(self, extra_headers: Optional[Mapping[str, str]]) -> Dict[str, str]:
        """The hook's headers for one request, then the call's own."""
        hooked = dict(self.auth_headers()) if self.auth_headers is not None else {}
        return {**hooked, **(extra_headers or {})}

    def can_stream(self) -> bool:
        """False when the agent's card says it cannot stream (a2a-sdk's reading: a card
        without ``capabilities.streaming`` cannot); True when there is no card to ask."""
        if self.card is None:
            return True
        capabilities = self.card.capabilities
        return capabilities is not None and bool(capabilities.streaming)

    def adopt(self, card: AgentCard) -> None:
        self.card = card
        if self.protocol is None:
            url, version = select_endpoint(card, self.wanted)
            self.protocol, self.rpc_url = Protocol(version), url

    def copy(self) -> _Endpoint:
        other = object.__new__(_Endpoint)
        for name in self.__slots__:
            setattr(other, name, getattr(self, name))
        return other


class _A2AMixin(_MixinBase):
    """What the sync and async clients share: construction, endpoint state, call preparation."""

    _a2a: _Endpoint

    def __init__(
        self,
        url: str,
        *,
        protocol_version: Optional[str] = None,
        card: Optional[AgentCard] = None,
        card_path: Optional[str] = None,
        auth: Optional[httpx.Auth] = None,
        auth_headers: Optional[HeadersHook] = None,
        token: Optional[str] = None,
        timeout: Timeout = 30.0,
        **options: Any,
    ) -> None:
        if auth is not None and options.get("http_client") is not None:
            raise TypeError("auth= configures the SDK's own httpx client: set it on http_client")
        self._a2a = _Endpoint(url, protocol_version, card, card_path, auth, auth_headers)
        # The transport's base URL is the origin; the endpoint path goes into each request.
        origin, _ = _split(self._a2a.rpc_url or url)
        super().__init__(base_url=origin, token=token or "", timeout=timeout, **options)

    def with_options(self, **changes: Any) -> Self:
        derived = super().with_options(**changes)
        derived._a2a = self._a2a.copy()
        return derived

    def _http_client_options(self) -> Dict[str, Any]:
        options = super()._http_client_options()
        if self._a2a.auth is not None:
            options["auth"] = self._a2a.auth
        return options

    @classmethod
    def from_card(
        cls,
        card: Union[AgentCard, BaseModel, Mapping[str, Any]],
        *,
        protocol_version: Optional[str] = None,
        **options: Any,
    ) -> Self:
        """A client for the agent a card describes (no discovery request)."""
        parsed = _card_from(card)
        url, _ = select_endpoint(
            parsed, normalize_version(protocol_version) if protocol_version else None
        )
        return cls(url, protocol_version=protocol_version, card=parsed, **options)

    def _adopt_card(self, content: bytes, card_url: str) -> AgentCard:
        """Parse a fetched agent card and settle the endpoint from it."""
        card = parse_card(decode_json(content, method="agent card"), url=card_url)
        self._a2a.adopt(card)
        return card

    @property
    def protocol_version(self) -> Optional[str]:
        """ "1.0" or "0.3" once known (given, or read from the agent card)."""
        return self._a2a.protocol.version if self._a2a.protocol else None

    @property
    def agent_card(self) -> Optional[AgentCard]:
        """The agent card once fetched or given."""
        return self._a2a.card

    @property
    def rpc_url(self) -> Optional[str]:
        """The JSON-RPC endpoint once known."""
        return self._a2a.rpc_url

    def _target(self, url: str) -> Dict[str, Any]:
        """Transport options reaching ``url``; moves the client to its origin when the card
        points elsewhere (the connection pool is shared across origins)."""
        origin, path = _split(url)
        if origin != self.base_url:
            self._configure(**dict(self._settings, base_url=origin))
        return {"path_params": {"path": path}}

    def _prepare(
        self,
        build: Callable[[Protocol], RPCCall[T]],
        extra_headers: Optional[Mapping[str, str]],
        timeout: Union[Timeout, NotGiven],
    ) -> Tuple[RPCCall[T], RequestId, Dict[str, Any]]:
        """The call, its request id and the transport options of one JSON-RPC request."""
        protocol, rpc_url = self._a2a.protocol, self._a2a.rpc_url
        assert protocol is not None and rpc_url is not None
        call = build(protocol)
        request_id, body = call.envelope()
        headers = {**call.headers, **self._a2a.headers(extra_headers)}
        options: Dict[str, Any] = {
            **self._target(rpc_url),
            "json": body,
            "headers": headers,
            "timeout": timeout,
        }
        return call, request_id, options

    @staticmethod
    def _finish(call: RPCCall[T], request_id: RequestId, content: bytes) -> T:
        if not content:
            raise A2AResponseError(
                f"A2A {call.method}: the agent answered with an empty body", method=call.method
            )
        return call.result(decode_json(content, method=call.method), request_id)


# unasync -> A2AClient: the generator writes the blocking twin of this class (generator/unasync.py)
class AsyncA2AClient(_A2AMixin, AsyncAPIClient):
    """A2A client for one agent: `A2AClient` blocks, `AsyncA2AClient` is its asyncio twin (the
    same methods and arguments; coroutines, and streams iterated with ``async for``).

    ``A2AClient("http://agent:9999")`` discovers the agent card on first use and speaks the
    newest protocol version the card offers (1.0, else 0.3); ``protocol_version="0.3"`` forces
    one (and skips discovery: the URL is then the JSON-RPC endpoint itself). ``card_path`` names
    a card at another place (absolute, or relative to the agent URL) than the well-known ones.
    ``token`` is sent as ``Authorization: Bearer`` (the gateway's token is never picked up
    implicitly); ``auth`` takes any ``httpx.Auth`` (applied to every request, card included);
    ``auth_headers`` is called before every request and its headers are sent with it (a token
    that rotates). ``send_message_stream`` falls back to one blocking call when the card says
    the agent cannot stream. Other keyword
    arguments are the transport options of the gateway client (timeout, max_retries, retry,
    default_headers, http_client, ...).
    """

    @classmethod
    async def from_gateway(cls, gateway: Any, agent_id: str, **options: Any) -> AsyncA2AClient:
        """A client for an agent the gateway client lists (its ``get_agent(agent_id)``).

        Timeout and retry settings are taken from the gateway client unless given. The card is
        fetched through the operation itself, not the deprecated ``get_agent`` method, so the
        user sees no ``DeprecationWarning`` for a call they did not make.
        """
        agent = await gateway._request(_OP_GET_AGENT, path_params={"id": agent_id})
        return cls.from_card(agent, **_gateway_options(gateway, options))

    # -- I/O -------------------------------------------------------------------------------------

    async def get_card(
        self, *, refresh: bool = False, timeout: Union[Timeout, NotGiven] = NOT_GIVEN
    ) -> AgentCard:
        """The agent card (fetched once; ``refresh=True`` fetches again)."""
        if self._a2a.card is not None and not refresh:
            return self._a2a.card
        urls = self._a2a.card_urls()
        for index, card_url in enumerate(urls):
            try:
                content = await self._request(
                    _CARD,
                    timeout=timeout,
                    extra_headers=self._a2a.headers(None),
                    **self._target(card_url),
                )
            except NotFoundError:
                if index == len(urls) - 1:
                    raise
                continue
            return self._adopt_card(content, card_url)
        raise AssertionError("unreachable: card_urls() is never empty")

    async def _ready(self) -> None:
        if self._a2a.protocol is None:
            await self.get_card()

    async def _call(
        self,
        build: Callable[[Protocol], RPCCall[T]],
        extra_headers: Optional[Mapping[str, str]],
        timeout: Union[Timeout, NotGiven],
    ) -> T:
        await self._ready()
        call, request_id, options = self._prepare(build, extra_headers, timeout)
        return self._finish(call, request_id, await self._request(_RPC, **options))

    def _open_events(
        self,
        build: Callable[[Protocol], RPCCall[A2AEvent]],
        extra_headers: Optional[Mapping[str, str]],
        timeout: Union[Timeout, NotGiven],
        blocking: Optional[Callable[[Protocol], RPCCall[A2AEvent]]] = None,
    ) -> AsyncA2AStream:
        """The events of a streaming call; ``blocking`` is its one-answer form, sent instead
        when the agent's card says it cannot stream (the answer is then the only event)."""

        @contextlib.asynccontextmanager
        async def opener() -> AsyncIterator[Opened]:
            await self._ready()
            streams = blocking is None or self._a2a.can_stream()
            chosen = build if streams or blocking is None else blocking
            call, request_id, options = self._prepare(chosen, extra_headers, timeout)
            request = self._build_request(_RPC, options, stream=streams)  # type: ignore[arg-type]
            async with self._open_stream(request) as response:
                yield call, request_id, response

        return AsyncA2AStream(opener)

    # -- A2A methods -------------------------------------------------------------------------------

    async def send_message(
        self,
        message: MessageInput,
        *,
        context_id: Optional[str] = None,
        task_id: Optional[str] = None,
        accepted_output_modes: Optional[Sequence[str]] = None,
        history_length: Optional[int] = None,
        return_immediately: Optional[bool] = None,
        push_notification_config: PushConfigInput = None,
        metadata: Optional[Mapping[str, Any]] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> Union[Task, Message]:
        """Send a message (a string becomes one user text part); returns the task or the reply.

        1.0 ``SendMessage`` / 0.3 ``message/send``.
        """
        return cast(
            "Union[Task, Message]",
            await self._call(
                lambda p: p.send_message(
                    message,
                    context_id=context_id,
                    task_id=task_id,
                    accepted_output_modes=accepted_output_modes,
                    history_length=history_length,
                    return_immediately=return_immediately,
                    push_notification_config=push_notification_config,
                    metadata=metadata,
                ),
                extra_headers,
                timeout,
            ),
        )

    def send_message_stream(
        self,
        message: MessageInput,
        *,
        context_id: Optional[str] = None,
        task_id: Optional[str] = None,
        accepted_output_modes: Optional[Sequence[str]] = None,
        history_length: Optional[int] = None,
        push_notification_config: PushConfigInput = None,
        metadata: Optional[Mapping[str, Any]] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> AsyncA2AStream:
        """Send a message and stream the task's events (1.0 ``SendStreamingMessage`` / 0.3
        ``message/stream``): `Task`, `Message`, `TaskStatusUpdateEvent`, `TaskArtifactUpdateEvent`.

        When the agent's card says it cannot stream (``capabilities.streaming`` false or
        absent), the message is sent as one blocking ``send_message`` and the stream yields
        its answer, the final task or message, as its only event (as a2a-sdk's client does).
        """

        def call(streaming: bool) -> Callable[[Protocol], RPCCall[A2AEvent]]:
            return lambda p: p.send_message(
                message,
                context_id=context_id,
                task_id=task_id,
                accepted_output_modes=accepted_output_modes,
                history_length=history_length,
                push_notification_config=push_notification_config,
                metadata=metadata,
                streaming=streaming,
            )

        return self._open_events(call(True), extra_headers, timeout, blocking=call(False))

    async def get_task(
        self,
        task_id: str,
        *,
        history_length: Optional[int] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> Task:
        """1.0 ``GetTask`` / 0.3 ``tasks/get``."""
        return await self._call(
            lambda p: p.get_task(task_id, history_length=history_length), extra_headers, timeout
        )

    async def list_tasks(
        self,
        *,
        context_id: Optional[str] = None,
        status: Optional[str] = None,
        page_size: Optional[int] = None,
        page_token: Optional[str] = None,
        history_length: Optional[int] = None,
        include_artifacts: Optional[bool] = None,
        status_timestamp_after: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> ListTasksResponse:
        """1.0 ``ListTasks`` (0.3 has no equivalent: raises `A2AVersionError`)."""
        return await self._call(
            lambda p: p.list_tasks(
                context_id=context_id,
                status=status,
                page_size=page_size,
                page_token=page_token,
                history_length=history_length,
                include_artifacts=include_artifacts,
                status_timestamp_after=status_timestamp_after,
            ),
            extra_headers,
            timeout,
        )

    async def cancel_task(
        self,
        task_id: str,
        *,
        metadata: Optional[Mapping[str, Any]] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> Task:
        """1.0 ``CancelTask`` / 0.3 ``tasks/cancel``."""
        return await self._call(
            lambda p: p.cancel_task(task_id, metadata=metadata), extra_headers, timeout
        )

    def subscribe_to_task(
        self,
        task_id: str,
        *,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> AsyncA2AStream:
        """Stream the events of a running task (1.0 ``SubscribeToTask`` / 0.3 ``tasks/resubscribe``)."""
        return self._open_events(lambda p: p.subscribe_to_task(task_id), extra_headers, timeout)

    resubscribe = subscribe_to_task

    async def create_task_push_notification_config(
        self,
        task_id: str,
        url: str,
        *,
        config_id: Optional[str] = None,
        token: Optional[str] = None,
        authentication: Union[AuthenticationInfo, Mapping[str, Any], None] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> TaskPushNotificationConfig:
        """1.0 ``CreateTaskPushNotificationConfig`` / 0.3 ``tasks/pushNotificationConfig/set``."""
        return await self._call(
            lambda p: p.create_task_push_notification_config(
                task_id, url, config_id=config_id, token=token, authentication=authentication
            ),
            extra_headers,
            timeout,
        )

    set_task_push_notification_config = create_task_push_notification_config

    async def get_task_push_notification_config(
        self,
        task_id: str,
        config_id: str,
        *,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> TaskPushNotificationConfig:
        """1.0 ``GetTaskPushNotificationConfig`` / 0.3 ``tasks/pushNotificationConfig/get``."""
        return await self._call(
            lambda p: p.get_task_push_notification_config(task_id, config_id),
            extra_headers,
            timeout,
        )

    async def list_task_push_notification_configs(
        self,
        task_id: str,
        *,
        page_size: Optional[int] = None,
        page_token: Optional[str] = None,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> ListTaskPushNotificationConfigsResponse:
        """1.0 ``ListTaskPushNotificationConfigs`` / 0.3 ``tasks/pushNotificationConfig/list``."""
        return await self._call(
            lambda p: p.list_task_push_notification_configs(
                task_id, page_size=page_size, page_token=page_token
            ),
            extra_headers,
            timeout,
        )

    async def delete_task_push_notification_config(
        self,
        task_id: str,
        config_id: str,
        *,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> None:
        """1.0 ``DeleteTaskPushNotificationConfig`` / 0.3 ``tasks/pushNotificationConfig/delete``."""
        await self._call(
            lambda p: p.delete_task_push_notification_config(task_id, config_id),
            extra_headers,
            timeout,
        )

    async def get_extended_agent_card(
        self,
        *,
        extra_headers: Optional[Mapping[str, str]] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
    ) -> AgentCard:
        """1.0 ``GetExtendedAgentCard`` / 0.3 ``agent/getAuthenticatedExtendedCard``."""
        return await self._call(lambda p: p.get_extended_agent_card(), extra_headers, timeout)
