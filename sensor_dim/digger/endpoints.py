"""Endpoint clustering: a request path becomes a template (`/users/123` -> `/users/{id}`)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from sensor_core.http_semantics import split_target

MAX_SEGMENTS = 32
MAX_TEMPLATE_LENGTH = 512

# the order matters: the first kind whose pattern matches names the placeholder
_SEGMENT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "{uuid}",
        re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
    ),
    ("{id}", re.compile(r"[+-]?\d+")),
    (
        "{date}",
        re.compile(
            r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
        ),
    ),
    ("{email}", re.compile(r"[^@/\s]+@[^@/\s]+\.[A-Za-z]{2,}")),
    ("{hex}", re.compile(r"(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{12,}")),
    # long opaque tokens: letters and digits mixed, 20+ characters (ids, hashes, keys)
    (
        "{token}",
        re.compile(r"(?=[A-Za-z0-9_\-.~%]*\d)(?=[A-Za-z0-9_\-.~%]*[A-Za-z])[A-Za-z0-9_\-.~%]{20,}"),
    ),
)


# every kind above needs a digit or an `@` (a UUID may be all letters a-f): anything else is
# literal at once
_MAYBE_VARIABLE = re.compile(r"[\d@]|^[0-9a-fA-F]{8}-")


@functools.lru_cache(maxsize=16384)
def segment_placeholder(segment: str) -> str | None:
    """The placeholder for a variable path segment, or None when the segment is literal."""
    if _MAYBE_VARIABLE.search(segment) is None:
        return None
    for placeholder, pattern in _SEGMENT_KINDS:
        if pattern.fullmatch(segment):
            return placeholder
    return None


def split_request_target(target: str) -> tuple[str, str]:
    """split_target's (path, query), without urlsplit for the common origin-form target."""
    if (
        target[:1] == "/"
        and target[1:2] != "/"
        and "#" not in target
        and "\t" not in target
        and "\r" not in target
        and "\n" not in target
    ):
        path, _, query = target.partition("?")
        return path or "/", query
    return split_target(target)


def path_segments(path: str) -> list[str]:
    """Non-empty path segments, at most MAX_SEGMENTS."""
    return [s for s in path.split("/") if s][:MAX_SEGMENTS]


def path_template(
    target: str,
    detected: Mapping[int, str] | None = None,
    learned: Sequence[str] | None = None,
) -> str:
    """The endpoint template of a request-target: variable segments replaced, query dropped.

    `detected` maps segment indexes the detector typed to a type id; such a segment becomes
    `{type_id}`, so a value in a path (a name, a token) never reaches the metadata. `learned`
    is the output of `template_segments` after a SegmentLearner (learned `{var}` positions).
    """
    path, _ = split_request_target(target)
    out = list(learned) if learned is not None else template_segments(path)
    for index, type_id in (detected or {}).items():
        if 0 <= index < len(out):
            out[index] = f"{{{type_id}}}"
    return join_template(out, path.endswith("/"))


def template_segments(path: str) -> list[str]:
    """The path's segments with identifier-like ones replaced by their placeholder."""
    return [segment_placeholder(s) or s for s in path_segments(path)]


def join_template(segments: Sequence[str], trailing_slash: bool) -> str:
    template = "/" + "/".join(segments)
    if trailing_slash and segments:
        template += "/"
    if len(template) > MAX_TEMPLATE_LENGTH:
        template = template[:MAX_TEMPLATE_LENGTH] + "{...}"
    return template
