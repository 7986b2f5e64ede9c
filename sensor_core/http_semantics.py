"""HTTP facts the interceptor and the digger share: which media types are structured data,
and the path and query of a request-target."""

from __future__ import annotations

from urllib.parse import urlsplit

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"


def is_json_type(content_type: str) -> bool:
    """`application/json` or `application/*+json` (lower-cased, parameters removed)."""
    return content_type == JSON_TYPE or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def is_structured(content_type: str) -> bool:
    """JSON or an urlencoded form: the bodies dsensor analyses."""
    return content_type == FORM_TYPE or is_json_type(content_type)


def split_target(target: str) -> tuple[str, str]:
    """(path, query) of a request-target; absolute-form targets lose scheme and host,
    the fragment is dropped."""
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an invalid IPv6 authority in an absolute-form target
        return "/", ""
    return parts.path or "/", parts.query
