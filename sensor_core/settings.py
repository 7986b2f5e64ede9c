"""Typed, frozen settings per component: YAML file + SVRN_<COMPONENT>_<KEY PATH> overrides.

Each component defines one pydantic model (subclass of `Section`) and builds it once in
`main()` with `load_settings`. The environment is read here and nowhere else in the project.
Keys are matched by the model's field names; the variable for a key path is
``SVRN_<COMPONENT>_`` + the path upper-cased and joined by ``_``
(``statsclient.token`` of the digger -> ``SVRN_DIGGER_STATSCLIENT_TOKEN``).
A variable for an object or list holds JSON; one for a scalar holds the plain text.
Error messages name the file key or variable and what is wrong, never the value.
"""

from __future__ import annotations

import json
import os
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

COMPONENTS = ("INTERCEPTOR", "DIGGER", "CRAWLER", "DETECTION_TOOL", "CONSOLE")
ENV_PREFIX = "SVRN_"


class Section(BaseModel):
    """Base of every settings model: frozen, unknown keys rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


S = TypeVar("S", bound=Section)


class SettingsError(Exception):
    """Configuration is wrong. The message names where (key or variable) and why, never a value."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid configuration:\n  " + "\n  ".join(problems))


def _section_type(annotation: Any) -> type[Section] | None:
    """The Section subclass behind an annotation (also inside Optional), else None."""
    if isinstance(annotation, type) and issubclass(annotation, Section):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        for arg in get_args(annotation):
            found = _section_type(arg)
            if found is not None:
                return found
    return None


def _is_str_leaf(annotation: Any) -> bool:
    """True when a variable for this field is taken as plain text rather than parsed."""
    from pydantic import SecretStr

    is_union = get_origin(annotation) in (Union, types.UnionType)
    args = get_args(annotation) if is_union else ()
    candidates = [a for a in args if a is not type(None)] or [annotation]
    return all(a in (str, SecretStr) for a in candidates)


def env_names(model: type[Section], component: str) -> Iterator[tuple[tuple[str, ...], str, Any]]:
    """Every (key path, variable name, annotation) a model accepts from the environment."""

    def walk(m: type[Section], path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str, Any]]:
        for name, field in m.model_fields.items():
            key = field.alias or name
            sub = (*path, key)
            var = ENV_PREFIX + component + "_" + "_".join(p.upper() for p in sub)
            yield sub, var, field.annotation
            nested = _section_type(field.annotation)
            if nested is not None:
                yield from walk(nested, sub)

    yield from walk(model, ())


def _set_path(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    node = tree
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[path[-1]] = value


def _load_yaml(config_file: Path) -> dict[str, Any]:
    try:
        text = config_file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SettingsError([f"config file {config_file}: cannot read ({exc.strerror})"]) from None
    except UnicodeDecodeError:
        raise SettingsError([f"config file {config_file}: not UTF-8 text"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise SettingsError([f"config file {config_file}: invalid YAML{where}"]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError([f"config file {config_file}: the top level must be a mapping"])
    return data


def _describe_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_settings(
    model: type[S],
    component: str,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> S:
    """Build a component's settings from defaults, an optional YAML file and the environment."""
    if component not in COMPONENTS:
        raise ValueError(f"unknown component {component!r}")
    env = os.environ if environ is None else environ
    data: dict[str, Any] = _load_yaml(config_file) if config_file is not None else {}
    sources: dict[tuple[str, ...], str] = {}
    problems: list[str] = []
    prefix = ENV_PREFIX + component + "_"
    known = set()
    for path, var, annotation in env_names(model, component):
        known.add(var)
        if var not in env:
            continue
        raw = env[var]
        if _is_str_leaf(annotation):
            value: Any = raw
        elif _section_type(annotation) is not None or get_origin(annotation) in (list, dict):
            try:
                value = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.append(
                    f"{var}: invalid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
                )
                continue
        else:
            value = raw.strip()
        _set_path(data, path, value)
        sources[path] = var
    for var in env:
        if var.startswith(prefix) and var not in known:
            problems.append(f"{var}: no such setting for {component.lower()}")
    if problems:
        raise SettingsError(problems)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_explain(exc, sources, config_file)) from None


def _explain(
    exc: ValidationError, sources: dict[tuple[str, ...], str], config_file: Path | None
) -> list[str]:
    problems = []
    for err in exc.errors(include_input=False, include_url=False, include_context=False):
        loc = tuple(err["loc"])
        origin = None
        for n in range(len(loc), 0, -1):
            if tuple(str(p) for p in loc[:n]) in sources:
                origin = sources[tuple(str(p) for p in loc[:n])], loc[n:]
                break
        msg = err["msg"]
        if origin is not None:
            var, rest = origin
            inner = ""
            for part in rest:
                inner += f" entry {part}" if isinstance(part, int) else f" field {part!r}"
            problems.append(f"{var}:{inner}: {msg}" if inner else f"{var}: {msg}")
        else:
            where = f"config file {config_file}, " if config_file else ""
            problems.append(f"{where}key {_describe_loc(loc)}: {msg}")
    return problems
