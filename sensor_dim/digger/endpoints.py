"""Endpoint clustering: a request path becomes a template (`/users/123` -> `/users/{id}`)."""

from __future__ import annotations

import re
from collections.abc import Mapping

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


def segment_placeholder(segment: str) -> str | None:
    """The placeholder for a variable path segment, or None when the segment is literal."""
    for placeholder, pattern in _SEGMENT_KINDS:
        if pattern.fullmatch(segment):
            return placeholder
    return None


def path_segments(path: str) -> list[str]:
    """Non-empty path segments, at most MAX_SEGMENTS."""
    return [s for s in path.split("/") if s][:MAX_SEGMENTS]


def path_template(target: str, detected: Mapping[int, str] | None = None) -> str:
    """The endpoint template of a request-target: variable segments replaced, query dropped.

    `detected` maps segment indexes the detector typed to a type id; such a segment becomes
    `{type_id}`, so a value in a path (a name, a token) never reaches the metadata.
    """
    path, _ = split_target(target)
    segments = path_segments(path)
    typed = detected or {}
    out = [
        f"{{{typed[i]}}}" if i in typed else (segment_placeholder(s) or s)
        for i, s in enumerate(segments)
    ]
    template = "/" + "/".join(out)
    if path.endswith("/") and out:
        template += "/"
    if len(template) > MAX_TEMPLATE_LENGTH:
        template = template[:MAX_TEMPLATE_LENGTH] + "{...}"
    return template
