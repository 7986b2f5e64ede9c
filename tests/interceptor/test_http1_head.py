"""Header sections: start lines against the RFC 9112 grammar, blank lines, header values.

The parser reads start lines and finds blank lines without regular expressions (they are on
every message's path); these tests hold it to the grammar written as regular expressions, on
seeded random lines built from the pieces that matter.
"""

from __future__ import annotations

import itertools
import random
import re

import pytest

from sensor_dim.interceptor.http1_head import (
    MessageHead,
    blank_line,
    find_blank_line,
    parse_head,
)

TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
REQUEST_LINE = re.compile("(" + TOKEN + r") (\S+) HTTP/(1\.[01])", re.ASCII)
STATUS_LINE = re.compile(r"HTTP/(1\.[01]) ([0-9]{3})(?:[ \t](.*))?", re.ASCII | re.DOTALL)
PIECES = [
    "GET", "POST", "get", "M-X", "/a", "/a b", "*", "\t", " ", "HTTP/1.1", "HTTP/1.0",
    "HTTP/2.0", "HTTP/1.1 ", "200", "2000", "20", "\u00b200", "OK", "\x0b", "\x0c", "\r", "\u00e9",
    ":", "\x01", "", "\x1c", "/p?q=1#f",
]  # fmt: skip


def random_lines(seed: int, count: int) -> list[str]:
    """Start lines: shaped like a request or status line from varied parts, or loose pieces."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        shape = rng.random()
        gap = rng.choice([" ", " ", " ", "\t", "  "])
        version = rng.choice(["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 ", "http/1.1"])
        if shape < 0.35:
            method = rng.choice(["GET", "POST", "M-X", "get", "", "G:T"])
            target = rng.choice(["/a", "*", "/p?q=1#f", "/a b", "\u00e9", "", "/\x0b"])
            line = f"{method}{gap}{target}{rng.choice([' ', ' ', gap])}{version}"
        elif shape < 0.7:
            status = rng.choice(["200", "404", "2000", "20", "\u00b200", "abc"])
            reason = rng.choice(["", " OK", "\tOK", " ", "OK", " Not Found\r"])
            line = f"{version}{gap}{status}{reason}"
        else:
            line = "".join(rng.choice(PIECES) for _ in range(rng.randrange(1, 6)))
        lines.append(line + rng.choice(["", "", "\r"]))
    return lines


@pytest.mark.parametrize("seed", range(3))
def test_start_lines_are_read_as_the_grammar_says(seed: int) -> None:
    accepted = 0
    for line in random_lines(seed, 20_000):
        grammar = line[:-1] if line.endswith("\r") else line  # a line's CR is not its content
        for is_request in (True, False):
            head = parse_head(line.encode("latin-1"), is_request)
            match = (REQUEST_LINE if is_request else STATUS_LINE).fullmatch(grammar)
            if match is None:
                assert not isinstance(head, MessageHead), (line, is_request)
                continue
            assert isinstance(head, MessageHead), (line, is_request)
            accepted += 1
            if is_request:
                method, target, version = match.groups()
                assert (head.method, head.target, head.version) == (
                    method,
                    target,
                    "HTTP/" + version,
                )
            else:
                version, status, reason = match.groups()
                assert (head.status, head.reason) == (int(status), reason or "")
                assert head.version == "HTTP/" + version
    assert accepted > 200


def blank_line_by_search(buf: bytes) -> tuple[int, int]:
    """The first blank line by plain searches: CRLF CRLF, or an earlier bare-LF blank line."""
    best, sep = buf.find(b"\r\n\r\n"), 4
    limit = best if best >= 0 else len(buf)
    for pattern in (b"\n\n", b"\n\r\n"):
        i = buf.find(pattern, 0, limit + len(pattern) - 1)
        if i >= 0 and (best < 0 or i < best):
            best, sep = i, len(pattern)
            limit = best
    return (best, sep) if best >= 0 else (-1, 0)


def test_blank_lines_are_found_in_every_arrangement_of_cr_lf_and_text() -> None:
    for length in range(1, 10):
        for combo in itertools.product((b"\r", b"\n", b"a"), repeat=length):
            buf = b"".join(combo)
            expected = blank_line_by_search(buf)
            assert find_blank_line(buf) == expected, buf
            assert find_blank_line(bytearray(buf)) == expected, buf
            assert blank_line(buf.decode("latin-1")) == expected, buf


@pytest.mark.parametrize(
    "block",
    [
        b"GET / HTTP/1.1\r\nHost: h\r\nX-A:  v \t\r\nX-B: w",
        b"GET / HTTP/1.1\nHost: h\nX-A:  v \t\nX-B: w",
        b"GET / HTTP/1.1\r\nHost: h\nX-A:  v \t\r\nX-B: w",
        b"GET / HTTP/1.1\r\nHost: h\r\nX-A:  v \t\r\nX-B: w\r",  # the head ended "\r\n\n"
    ],
)
def test_header_values_lose_surrounding_blanks_and_line_ends(block: bytes) -> None:
    head = parse_head(block, True)
    assert isinstance(head, MessageHead)
    assert head.headers == [("Host", "h"), ("X-A", "v"), ("X-B", "w")]


def test_a_carriage_return_inside_a_value_stays() -> None:
    head = parse_head(b"HTTP/1.1 200 OK\r\nX-A: a\rb\r\nX-B: c\r\r", False)
    assert isinstance(head, MessageHead)
    assert head.headers == [("X-A", "a\rb"), ("X-B", "c\r")]


def test_fields_the_parser_reads_are_found_in_any_case() -> None:
    block = (
        b"HTTP/1.1 200 OK\r\ncontent-TYPE: Application/JSON; charset=utf-8\r\n"
        b"Content-Length: 10\r\nCONTENT-LENGTH: 10\r\ncontent-encoding: gzip\r\n"
        b"Transfer-Encoding: gzip, chunked\r\nContent-Typo: x"
    )
    head = parse_head(block, False)
    assert isinstance(head, MessageHead)
    assert head.content_type == "application/json"
    assert head.content_length_values == ["10", "10"]
    assert head.content_encoding_values == ["gzip"]
    assert head.transfer_encoding_values == ["gzip, chunked"]
    assert head.values("content-typo") == ["x"]


def test_the_header_caches_stay_small_under_long_distinct_names_and_types() -> None:
    from sensor_dim.interceptor import http1_head

    for i in range(300):
        long_name = f"X-{i:04d}-" + "n" * 4000
        long_type = f"application/x-{i}-" + "t" * 4000
        block = f"HTTP/1.1 200 OK\r\n{long_name}: 1\r\nContent-Type: {long_type}".encode()
        head = parse_head(block, False)
        assert isinstance(head, MessageHead)
        assert head.content_type == long_type
    sizes = [len(k) for k in (*http1_head._NAME_KINDS, *http1_head._MEDIA_TYPES)]
    assert max(sizes) <= 128


def test_the_quick_field_reading_agrees_with_the_careful_one() -> None:
    from sensor_dim.interceptor.http1_head import _clean_fields, parse_header_lines

    names = ["Host", "X-A", "", "X A", "é"]
    value_pieces = [" ", "\t", "v", "é", "\r", ":", "\n"]
    rng = random.Random(5)
    accepted = 0
    for _ in range(20_000):
        lines = [
            rng.choice(names) + ":" + "".join(rng.choices(value_pieces, k=rng.randrange(6)))
            for _ in range(rng.randrange(1, 5))
        ]
        text = "".join(line + rng.choice(["\r\n", "\n"]) for line in lines)
        text = text[: -rng.choice([1, 2])]  # the last line without its end, or with its CR
        quick = MessageHead(False, "HTTP/1.1", status=200)
        if not _clean_fields(text, quick):
            continue
        accepted += 1
        careful = MessageHead(False, "HTTP/1.1", status=200)
        raw = [line.removesuffix(b"\r") for line in text.encode("latin-1").split(b"\n")]
        parse_header_lines(raw, careful)
        assert (careful.bad_header_lines, careful.obsolete_folding) == (0, False), text
        assert quick.headers == careful.headers, text
    assert accepted > 1500
