"""Write TOML (Python reads it with :mod:`tomllib`, but has no writer).

Enough of TOML for the planner's own files — configurations and scenarios: tables, arrays of
tables, strings, numbers, booleans and arrays of those. Keys that are not bare words are
quoted; strings are escaped so that any text (names from the data included) reads back as it
was written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def value(v: Any) -> str:
    """One TOML value: bool, int, float (finite), str, or an array of those."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"TOML has no place for the number {v!r} here")
        return repr(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, Sequence):
        return "[" + ", ".join(value(x) for x in v) + "]"
    if hasattr(v, "item"):  # numpy scalars
        return value(v.item())
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _is_table_array(v: Any) -> bool:
    return (
        isinstance(v, Sequence)
        and not isinstance(v, str)
        and len(v) > 0
        and all(isinstance(x, Mapping) for x in v)
    )


def dumps(data: Mapping[str, Any]) -> str:
    """``data`` as a TOML document: plain keys first, then tables, then arrays of tables."""
    lines: list[str] = []
    _table(lines, [], data)
    return "\n".join(lines).strip() + "\n"


def _table(lines: list[str], path: list[str], data: Mapping[str, Any]) -> None:
    plain = {
        k: v
        for k, v in data.items()
        if not isinstance(v, Mapping) and not _is_table_array(v) and v is not None
    }
    if path and (plain or not data):
        lines.append(f"[{'.'.join(_key(p) for p in path)}]")
    lines.extend(f"{_key(k)} = {value(v)}" for k, v in plain.items())
    if plain or (path and not data):
        lines.append("")
    for k, v in data.items():
        if isinstance(v, Mapping):
            _table(lines, [*path, k], v)
    for k, v in data.items():
        if _is_table_array(v):
            name = ".".join(_key(p) for p in [*path, k])
            for item in v:
                lines.append(f"[[{name}]]")
                lines.extend(
                    f"{_key(ik)} = {value(iv)}" for ik, iv in item.items() if iv is not None
                )
                lines.append("")
