"""Walks a parsed JSON document to its leaves with JSONPath-like paths (bounded depth)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from detection_tool.errors import DetectionInputError
from detection_tool.keys import (
    NAME_MEMBERS,
    SIBLING_MEMBERS,
    document_parent,
    extension_parent,
    key_context,
    names_a_value,
    place_holder_parent,
    record_parent,
    sibling_parent,
    terminology_parent,
)
from sensor_core.jsonpaths import ROOT, child_path

_MAX_CONTEXT_KEY = 64


@dataclass(frozen=True, slots=True)
class Leaf:
    path: str  # "$.customer.email", "$.items[0].sku" or "$.items[*].sku"
    key: str | None  # the member name holding the value (the array's name for elements)
    parent: str | None  # the member name of the enclosing object
    value: Any  # any JSON value (Any, not object: mypyc's dataclasses do not resolve `object`)


LeafTuple = tuple[str, str | None, str | None, object]
"""(path, key, parent, value): a Leaf's fields, without building the object (hot path)."""


def walk_leaves(
    doc: object,
    *,
    max_depth: int,
    max_elements: int,
    wildcard_arrays: bool,
    root_name: str | None = None,
) -> Iterator[Leaf]:
    """Every scalar in `doc`. Arrays are cut to `max_elements`; map keys that look like values
    (emails, long numbers, anything not identifier-like) appear in paths as `*`. `root_name`
    names the document itself (`users` for a `/users/{id}` response) as its members' parent.

    The whole document is walked before the first leaf is returned, so a too-deep document
    raises DetectionInputError("too_deep") before any of its values is analyzed."""
    leaves = leaf_tuples(
        doc,
        max_depth=max_depth,
        max_elements=max_elements,
        wildcard_arrays=wildcard_arrays,
        root_name=root_name,
    )
    return iter([Leaf(*leaf) for leaf in leaves])


def leaf_tuples(
    doc: object,
    *,
    max_depth: int,
    max_elements: int,
    wildcard_arrays: bool,
    root_name: str | None = None,
) -> list[LeafTuple]:
    """walk_leaves' leaves as (path, key, parent, value) tuples, in the same order."""
    out: list[LeafTuple] = []
    _Walker(out, max_depth, max_elements, wildcard_arrays).walk(doc, ROOT, root_name, None, 0)
    return out


# the members naming an attribute pair's value (machine names first: a custom field's
# `variable_name` before its `display_name`) and the members holding it, in several languages
_PAIR_NAMES = ("Name", "name", "Key", "key", "variable_name", "field_name", "field",
               "attribute", "display_name", "displayName", "label", "nome", "nombre",
               "nom")  # fmt: skip
_PAIR_NAME_SET = frozenset(_PAIR_NAMES)
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")  # DATABASE_URL, AWS_SECRET_ACCESS_KEY
# an environment variable's assignment in a list (docker compose, Kubernetes and CI `env`
# lists: `["POSTGRES_PASSWORD=...", "LOG_LEVEL=debug"]`): the name is the value's key
_ENV_ASSIGNMENT = re.compile(r"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)=(.*)", re.DOTALL)
_PAIR_VALUES: tuple[str, ...] = ("Value", "value", "valor", "valore", "valeur", "wert",
                                  "newValue", "oldValue", "new_value", "old_value")  # fmt: skip
_PAIR_VALUE_SET = frozenset(_PAIR_VALUES)
_NO_MEMBERS: frozenset[str] = frozenset()


def _pair_key(node: dict[object, object]) -> str | None:
    """The name an attribute pair gives its value: `{"Name": "given_name", "Value": "Marco"}`
    (Cognito, AWS tags), a custom field's `{"variable_name": "delivery_address", "value": ...}`
    -> "given_name", "delivery_address"; a value typed by a `type` member that names what it
    holds (`{"type": "password", "value": ...}`, SCIM's `{"type": "mobile", "value": ...}`, not
    `{"type": "string", ...}`); None for any other object. Larger objects are records
    (`{"name": ..., "value": ..., "sku": ...}`) unless the name is an environment variable's
    (`{"key": "AWS_SECRET_ACCESS_KEY", "value": ..., "masked": true, ...}`: CI/CD variables)."""
    if _PAIR_VALUE_SET.isdisjoint(node):
        return None
    large = len(node) > 3
    for member in _PAIR_NAMES:
        name = node.get(member)
        if type(name) is str:
            if len(name) <= _MAX_CONTEXT_KEY and (
                not large or _ENV_NAME.fullmatch(name) is not None
            ):
                return name
            return None
    kind = node.get("type")  # {"type": "password", "value": ...}, {"type": "mobile", "value"}
    if type(kind) is str and not large and len(kind) <= _MAX_CONTEXT_KEY and names_a_value(kind):
        return kind
    return None


def _typed_values(node: dict[object, object]) -> bool:
    """Every member is a FHIR `value[x]` (`valueString`, `valueDate`, `valueCoding`)."""
    for name in node:
        if type(name) is not str or name[:5] != "value" or not name[5:6].isupper():
            return False
    return bool(node)


@lru_cache(maxsize=16384)
def _member_suffix(name: object) -> str:
    """`.name`, or `.*` for a map key that may be a value (member names repeat: cached)."""
    return child_path("", name)


class _Walker:
    """One document's walk: appends leaves to `out` (recursion without generator frames)."""

    __slots__ = ("max_depth", "max_elements", "out", "wildcard")

    def __init__(
        self, out: list[LeafTuple], max_depth: int, max_elements: int, wildcard: bool
    ) -> None:
        self.out = out
        self.max_depth = max_depth
        self.max_elements = max_elements
        self.wildcard = wildcard

    def walk(
        self, node: object, path: str, key: str | None, parent: str | None, depth: int
    ) -> None:
        if isinstance(node, dict):
            if depth >= self.max_depth:
                raise DetectionInputError(
                    "too_deep", f"document nests deeper than {self.max_depth}"
                )
            context_parent = key
            name_parent = None  # the names' parent, when it differs from the other members'
            pair_key = _pair_key(node)
            value_members = _PAIR_VALUES
            system = node.get("system")
            url = node.get("url")
            if type(system) is str:  # a coded value: {"system": ".../icd-10", "code", "display"}
                # or an identifier: {"system": ".../nhs-number" or a type member, "value"}
                context_parent = terminology_parent(system, parent) or document_parent(node) or key
            elif (document := document_parent(node)) is not None:
                context_parent = document  # {"type": "passport", "number": ...}
                if not NAME_MEMBERS.isdisjoint(node):  # a guest's names beside their document
                    name_parent = sibling_parent(node, key) or key
            elif type(url) is str and (extension := extension_parent(url)) is not None:
                # a FHIR extension: {"url": ".../us-core-birthsex", "valueCode": "F"}
                context_parent, pair_key = extension, "value"
                value_members = tuple(n for n in node if type(n) is str and n[:5] == "value")
            elif (record := record_parent(node, key)) is not None:
                context_parent = record  # a FHIR resource or reference, a JSON:API resource
            elif key is not None and len(node) <= 3 and _typed_values(node):
                # a FHIR value[x] alone (`answer: [{"valueString": ...}]`): named by its holder
                context_parent, pair_key = key, "value"
                value_members = tuple(node)
            else:
                if not SIBLING_MEMBERS.isdisjoint(node):
                    context_parent = sibling_parent(node, key) or key
                if key is not None and parent is not None and context_parent == key:
                    # stores[0].location.lat: the store's location, not a person's
                    context_parent = place_holder_parent(key, parent) or key
            # a pair named after a known field (`{"displayName": "Mobile Phone", "newValue"}`):
            # its name member is a label, not a person's name
            label_members = (
                _PAIR_NAME_SET if pair_key is not None and key_context(pair_key) else _NO_MEMBERS
            )
            out = self.out
            # a FHIR QuestionnaireResponse item: its `linkId` names its answers
            # (`{"linkId": "contact-phone", "answer": [{"valueString": ...}]}`)
            link = node.get("linkId") if "answer" in node else None
            if type(link) is not str or len(link) > _MAX_CONTEXT_KEY:
                link = None
            for name, child in node.items():
                # a key that may be a value stays out of the path (`*`) but still gives context
                # (`contraseña`, `teléfono`); context reasons name table phrases, never the key
                child_key = (
                    name if isinstance(name, str) and len(name) <= _MAX_CONTEXT_KEY else None
                )
                if link is not None and name == "answer":
                    child_key = link
                elif pair_key is not None:
                    if name in value_members:
                        child_key = pair_key  # the pair's value is named by its `Name`
                    elif name in label_members:
                        child_key = None
                child_path_text = path + _member_suffix(name)
                member_parent = context_parent
                if name_parent is not None and name in NAME_MEMBERS:
                    member_parent = name_parent
                if isinstance(child, dict | list | tuple):
                    self.walk(child, child_path_text, child_key, member_parent, depth + 1)
                else:
                    out.append((child_path_text, child_key, member_parent, child))
        elif isinstance(node, list | tuple):
            if depth >= self.max_depth:
                raise DetectionInputError(
                    "too_deep", f"document nests deeper than {self.max_depth}"
                )
            wildcard = self.wildcard
            for index, child in enumerate(node[: self.max_elements]):
                element_path = f"{path}[*]" if wildcard else f"{path}[{index}]"
                if isinstance(child, dict | list | tuple):
                    self.walk(child, element_path, key, parent, depth + 1)
                elif (
                    type(child) is str
                    and "A" <= child[:1] <= "Z"
                    and (assignment := _ENV_ASSIGNMENT.match(child)) is not None
                    and len(assignment[1]) <= _MAX_CONTEXT_KEY
                ):  # `NAME=value`: the value under its variable's name
                    self.out.append((element_path, assignment[1], key, assignment[2]))
                else:
                    self.out.append((element_path, key, parent, child))
        else:
            self.out.append((path, key, parent, node))
