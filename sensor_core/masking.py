"""Masked value shapes (off unless the user enables `metadata.maskedshapes`): every letter
becomes `x`, every digit `9`, punctuation and spaces stay, cut at 32 characters."""

from __future__ import annotations

MAX_SHAPE = 32


def masked_shape(value: object) -> str:
    """`"Jane.Doe@x.org"` -> `"xxxx.xxx@x.xxx"`; numbers by their text; other types: ''."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        text = repr(value)
    elif isinstance(value, str):
        text = value
    else:
        return ""
    out = []
    for ch in text[:MAX_SHAPE]:
        if ch.isalpha():
            out.append("x")
        elif ch.isdigit():
            out.append("9")
        elif ch.isprintable() and ch.isascii():
            out.append(ch)
        else:
            out.append("?")  # a non-ASCII symbol could itself be telling
    return "".join(out)
