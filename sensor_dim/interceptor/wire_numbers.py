"""Unsigned numbers read in place from bytes, for the per-packet headers.

Compiled, each is a few machine instructions that build no objects (a `struct` unpack makes a
tuple and an int per field). The caller has checked that the bytes are long enough; past
the end they raise IndexError.
"""

from __future__ import annotations


def be16(data: bytes, at: int) -> int:
    """The big-endian 16-bit number at `at`."""
    return data[at] << 8 | data[at + 1]


def be32(data: bytes, at: int) -> int:
    """The big-endian 32-bit number at `at`."""
    return data[at] << 24 | data[at + 1] << 16 | data[at + 2] << 8 | data[at + 3]


def le32(data: bytes, at: int) -> int:
    """The little-endian 32-bit number at `at`."""
    return data[at + 3] << 24 | data[at + 2] << 16 | data[at + 1] << 8 | data[at]
