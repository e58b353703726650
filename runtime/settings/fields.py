"""How a setting is declared once (variable, default, parser, meaning) and read from an environment."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class SettingError(ValueError):
    """A variable holds a value its setting cannot take; the message names the variable."""


@dataclass(frozen=True)
class Derived:
    """A default computed from other settings' values (keyed by variable); ``shown`` is how the docs write it."""

    compute: Callable[[Mapping[str, Any]], Any]
    shown: str


@dataclass(frozen=True)
class Spec:
    """One setting's declaration: the variable it is read from, its default, its parser and its meaning."""

    env: str
    default: Any
    parse: Callable[[str], Any]
    doc: str


def setting(env: str, default: Any, parse: Callable[[str], Any] = str, *, doc: str) -> Any:
    """A settings field read from ``env``: an unset or empty variable means ``default``."""
    return dataclasses.field(metadata={"spec": Spec(env, default, parse, doc)})


def specs(group: type) -> Iterator[tuple[str, Spec]]:
    """The group's fields with their declarations, in declaration order."""
    for field in dataclasses.fields(group):
        yield field.name, field.metadata["spec"]


def read(groups: Mapping[str, type], env: Mapping[str, str]) -> dict[str, Any]:
    """Every group built from ``env``; derived defaults see the values of the variables they depend on."""
    values: dict[str, Any] = {}
    derived: list[Spec] = []
    for group in groups.values():
        for _, spec in specs(group):
            raw = env.get(spec.env, "")
            if raw:
                values[spec.env] = _parsed(spec, raw)
            elif isinstance(spec.default, Derived):
                derived.append(spec)
            else:
                values[spec.env] = spec.default
    for spec in derived:
        values[spec.env] = spec.default.compute(values)
    return {name: group(**{field: values[spec.env] for field, spec in specs(group)})
            for name, group in groups.items()}


def _parsed(spec: Spec, raw: str) -> Any:
    try:
        return spec.parse(raw)
    except ValueError as exc:
        raise SettingError(f"{spec.env} {exc}, got {raw!r}") from None


# Parsers: each raises ValueError saying what the variable must be; read() adds the variable and the value.

def integer(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError("must be an integer") from None


def number(raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ValueError("must be a number") from None


def flag(raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ValueError("must be 1 (on) or 0 (off)")
    return raw == "1"


def absolute_path(raw: str) -> Path:
    """A path made absolute against the working directory the process started in."""
    return Path(raw).resolve()


def one_of(*choices: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return raw

    return parse


def at_least(minimum: int) -> Callable[[str], int]:
    """An integer, raised to ``minimum`` when below it."""
    def parse(raw: str) -> int:
        return max(minimum, integer(raw))

    return parse
