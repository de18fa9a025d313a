"""The SSE parser: every WHATWG event-stream rule, and any split of the bytes parses the same."""

from __future__ import annotations

from typing import List, Optional, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st
from inference_gateway._sse import ServerSentEvent, SSEDecoder, SSEvent, plain_data


def parse(*reads: bytes) -> List[ServerSentEvent]:
    decoder = SSEDecoder()
    events: List[ServerSentEvent] = []
    for read in reads:
        events.extend(decoder.feed(read))
    events.extend(decoder.flush())
    return events


def ev(data: str, event: str = "message", id: Optional[str] = None, retry: Optional[int] = None) -> ServerSentEvent:
    return ServerSentEvent(data, event, id, retry)


def test_alias_and_slots() -> None:
    assert SSEvent is ServerSentEvent
    assert set(ServerSentEvent.__slots__) == {"data", "event", "id", "retry"}
    assert ev("{\"a\": 1}").json() == {"a": 1}


def test_plain_data_events() -> None:
    assert parse(b"data: one\n\ndata: two\n\n") == [ev("one"), ev("two")]


def test_multiple_data_lines_are_joined_with_newlines() -> None:
    assert parse(b"data: a\ndata: b\ndata:\ndata: c\n\n") == [ev("a\nb\n\nc")]


def test_one_leading_space_is_removed_only() -> None:
    assert parse(b"data:no space\n\ndata:  two spaces\n\n") == [ev("no space"), ev(" two spaces")]


def test_event_id_and_retry_fields() -> None:
    events = parse(b"event: update\nid: 7\nretry: 1500\ndata: x\n\n")
    assert events == [ev("x", "update", "7", 1500)]


def test_id_persists_until_changed_and_nul_ids_are_ignored() -> None:
    stream = b"id: 1\ndata: a\n\ndata: b\n\nid: bad\x00id\ndata: c\n\nid\ndata: d\n\n"
    assert [(e.data, e.id) for e in parse(stream)] == [("a", "1"), ("b", "1"), ("c", "1"), ("d", "")]


def test_retry_only_digits() -> None:
    events = parse(b"retry: 12a\ndata: a\n\nretry: -5\ndata: b\n\nretry: 30\ndata: c\n\n")
    assert [e.retry for e in events] == [None, None, 30]


def test_comments_and_unknown_fields_are_ignored() -> None:
    assert parse(b": keep-alive\n\n:comment\ndata: a\nfoo: bar\n\n") == [ev("a")]


def test_blank_event_type_is_message_and_field_without_colon() -> None:
    assert parse(b"event:\ndata\n\n") == [ev("")]


def test_block_without_data_dispatches_nothing() -> None:
    assert parse(b"event: ping\n\nid: 3\n\n") == []
    # ...but an id set there still applies to later events
    assert parse(b"id: 3\n\ndata: a\n\n")[0].id == "3"


def test_cr_lf_and_crlf_line_ends() -> None:
    expected = [ev("a"), ev("b\nc")]
    assert parse(b"data: a\r\n\r\ndata: b\r\ndata: c\r\n\r\n") == expected
    assert parse(b"data: a\r\rdata: b\rdata: c\r\r") == expected
    assert parse(b"data: a\n\rdata: b\r\ndata: c\n\n") == expected


def test_crlf_split_between_reads() -> None:
    assert parse(b"data: a\r", b"\n\r", b"\ndata: b\r\n\r\n") == [ev("a"), ev("b")]


def test_leading_bom_is_skipped_once() -> None:
    assert parse(b"\xef\xbb\xbfdata: a\n\n") == [ev("a")]
    assert parse(b"\xef", b"\xbb", b"\xbfdata: a\n\n") == [ev("a")]
    # a BOM later in the stream is part of the field name, so that line is an unknown field
    assert parse(b"data: a\n\n\xef\xbb\xbfdata: b\n\n") == [ev("a")]


def test_line_and_utf8_character_split_across_reads() -> None:
    text = "héllo ✓ 日本"
    raw = f"data: {text}\n\n".encode()
    for cut in range(1, len(raw)):
        assert parse(raw[:cut], raw[cut:]) == [ev(text)], cut


def test_last_event_without_blank_line_is_dispatched_at_eof() -> None:
    assert parse(b"data: a\n\ndata: b") == [ev("a"), ev("b")]
    assert parse(b"data: a\n\ndata: b\n") == [ev("a"), ev("b")]


def test_runs_of_blank_lines() -> None:
    assert parse(b"\n\n\ndata: a\n\n\n\n\ndata: b\n\n\n") == [ev("a"), ev("b")]


def test_big_event_in_many_reads() -> None:
    payload = "x" * 100_000
    raw = f"data: {payload}\n\n".encode()
    reads = [raw[i : i + 1000] for i in range(0, len(raw), 1000)]
    assert parse(*reads) == [ev(payload)]


def test_plain_data_fast_path_only_for_one_line_data_events() -> None:
    assert plain_data(b"data: a\n\ndata: b\n\n") == [b"a", b"b"]
    assert plain_data(b"data: a\ndata: b\n\n") is None
    assert plain_data(b"data: a\n\n: ping\n\n") is None
    assert plain_data(b"data: a\n\n\ndata: b\n\n") is None
    assert plain_data(b"event: x\ndata: a\n\n") is None


# -- property tests ------------------------------------------------------------------------------

_value = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"), max_size=20
)
_line = st.one_of(
    st.builds(lambda v: f"data: {v}", _value),
    st.builds(lambda v: f"data:{v}", _value),
    st.builds(lambda v: f"event: {v}", _value),
    st.builds(lambda v: f"id: {v}", _value),
    st.builds(lambda v: f"retry: {v}", st.one_of(st.integers(0, 10**6).map(str), _value)),
    st.builds(lambda v: f": {v}", _value),
    st.just(""),
)
_newline = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def event_streams(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(_line, max_size=25))
    ends = [draw(_newline) for _ in lines]
    text = "".join(line + end for line, end in zip(lines, ends))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + text).encode()


def _split(data: bytes, cuts: Sequence[int]) -> List[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, start = [], 0
    for point in points:
        pieces.append(data[start:point])
        start = point
    pieces.append(data[start:])
    return pieces


@settings(max_examples=300, deadline=None)
@given(event_streams(), st.lists(st.integers(0, 10_000), max_size=12))
def test_any_split_parses_to_the_same_events(data: bytes, cuts: List[int]) -> None:
    whole = parse(data)
    assert parse(*_split(data, cuts)) == whole
    assert parse(*[data[i : i + 1] for i in range(len(data))]) == whole


@settings(max_examples=200, deadline=None)
@given(st.lists(_value, min_size=1, max_size=20), st.lists(st.integers(0, 10_000), max_size=8))
def test_fast_path_agrees_with_general_parser(values: List[str], cuts: List[int]) -> None:
    data = "".join(f"data: {v}\n\n" for v in values).encode()
    expected = [ev(v) for v in values]
    assert parse(*_split(data, cuts)) == expected
    assert [e.data for e in parse(data)] == values
    fast = plain_data(data)
    assert fast is not None and [f.decode() for f in fast] == values
