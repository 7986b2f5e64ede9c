"""Query strings read into fields the way `urllib.parse.parse_qsl` reads them (blank values
dropped), whether or not they need unquoting."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl

import pytest

from sensor_dim.digger.http_fields import place_fields, query_pairs


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", []),
        ("email=a@example.org&page=2", [("email", "a@example.org"), ("page", "2")]),
        ("email=a%40example.org&q=x+y", [("email", "a@example.org"), ("q", "x y")]),
        ("flag&empty=&=anon&a=1=2&&", [("", "anon"), ("a", "1=2")]),
        ("name=J%C3%BCrgen&bad=%ZZ%", [("name", "Jürgen"), ("bad", "%ZZ%")]),
    ],
)
def test_query_pairs(query: str, expected: list[tuple[str, str]]) -> None:
    assert query_pairs(query) == expected


def test_query_pairs_agree_with_parse_qsl_on_random_queries() -> None:
    rng = random.Random(4)
    alphabet = "ab=&%+2F;.é"
    for _ in range(5000):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert query_pairs(query) == parse_qsl(query, keep_blank_values=False), query


def test_place_fields_name_query_and_path_fields() -> None:
    fields = list(place_fields("/users/42/", "email=a%40example.org"))
    assert fields[0] == ("query.email", "email", "a@example.org")
    assert [path for path, _, _ in fields[1:]] == ["path[0]", "path[1]"]
