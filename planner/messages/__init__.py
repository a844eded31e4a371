"""Messages to the user in 中文 and English: a key, its fields, and a translation table.

An error a user can cause is raised with a :class:`Msg` instead of an English string::

    raise ConfigError(Msg("weight_negative", name=name, value=value))

A :class:`Msg` *is* its English text (a ``str``), so logs, ``str(exc)`` and the command line
read as before; :func:`localized` gives the text of an error, or of a message, in the page's
language. The tables live beside this module, one file per wing of the library
(:mod:`planner.messages.common` ...), each a ``TEXT`` dict ``key -> {"en": ..., "zh": ...}``
merged into :data:`MESSAGES`; a test checks that every key has both languages with the same
``{fields}``.

Notes and warnings the library hands to the user (a layer's repairs, a guessed CRS, plots
renamed or dropped, a selection's notes) are :class:`Msg` too: they stay ``str`` for the command
line and the files it writes, and a page shows them with ``localized(note, lang)``. Counted
things (``1 stall``, ``3 stalls``, ``3 个车位``) use :func:`counted`.

Fields are filled with :meth:`str.format`; a field that is itself a :class:`Msg` is put in
the same language, and so is a field that is an error of the planner (pass the exception
itself where a message quotes another error: ``Msg("io.unreadable", detail=exc)``; GDAL's
and Python's own errors read as their ``str``). Text from data (file names, plot names,
GDAL's own words) goes in fields as it is.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "ErrorText",
    "Msg",
    "all_of",
    "counted",
    "either",
    "listing",
    "localized",
    "message",
]

#: The languages every message exists in.
LANGUAGES: tuple[str, ...] = ("en", "zh")


def _load_tables() -> dict[str, dict[str, str]]:
    """Merge the ``TEXT`` tables of every module of this package (a key defined twice fails)."""
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        table: Mapping[str, dict[str, str]] = module.TEXT
        twice = sorted(set(table) & set(merged))
        if twice:
            raise RuntimeError(f"message keys defined twice: {', '.join(twice)}")
        merged.update(table)
    return merged


#: ``key -> {language: template}`` over every table of the package.
MESSAGES: dict[str, dict[str, str]] = _load_tables()


def _fill(value: object, lang: str) -> object:
    """A field in ``lang``: a :class:`Msg`, or an error of the planner, localized; else as is."""
    if isinstance(value, Msg | ErrorText | BaseException):
        return localized(value, lang)
    return value


def message(key: str, lang: str = "en", /, **fields: Any) -> str:
    """The text of message ``key`` in ``lang`` with its ``{fields}`` filled in.

    Raises
    ------
    KeyError
        ``key`` is not in the tables (a programming error, caught by the tests).
    """
    table = MESSAGES[key]
    template = table.get(lang, table["en"])
    return template.format(**{k: _fill(v, lang) for k, v in fields.items()})


class Msg(str):
    """A message by key: its English text as a ``str``, its other languages on request.

    Parameters
    ----------
    key : str
        A key of :data:`MESSAGES`.
    **fields
        Values of the template's ``{fields}``.
    """

    key: str
    fields: dict[str, Any]

    def __new__(cls, key: str, /, **fields: Any) -> Msg:  # noqa: D102 - see the class
        obj = super().__new__(cls, message(key, "en", **fields))
        obj.key = key
        obj.fields = fields
        return obj

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # pickling
        return (self.key,), self.fields

    def localized(self, lang: str) -> str:
        """The message in ``lang`` (English if the language is not offered)."""
        return message(self.key, lang, **self.fields)


def localized(item: object, lang: str) -> str:
    """An error's (or a message's) text in ``lang``.

    A :class:`~planner.errors.PlannerError` raised with a :class:`Msg` is given in ``lang``;
    an error raised with plain text, and any other exception, as its ``str``.
    """
    if isinstance(item, Msg | ErrorText):
        return item.localized(lang)
    own = getattr(item, "localized", None)
    if callable(own) and isinstance(item, BaseException):
        return own(lang)
    return str(item)


class ErrorText(str):
    """An error's text as a plain ``str`` (its English) that still gives the error in ``lang``.

    For lists of problems that hold text (``(file, problem)`` pairs of an upload): they stay
    ``str`` for every reader, and :func:`localized` puts them in the page's language.
    """

    error: BaseException | str

    def __new__(cls, error: BaseException | str) -> ErrorText:  # noqa: D102 - see the class
        obj = super().__new__(cls, str(error))
        obj.error = error
        return obj

    def localized(self, lang: str) -> str:
        """The error's text in ``lang``."""
        return localized(self.error, lang)


def _chain(key: str, items: Sequence[object]) -> object:
    out: object = items[0]
    for item in items[1:]:
        out = Msg(key, a=out, b=item)
    return out


def either(items: Sequence[object]) -> object:
    """``a or b or c`` in the message's language (``a或b或c``); one item as it is.

    The items may be :class:`Msg` (words of the planner) or text from data.
    """
    return _chain("common.or", list(items)) if items else ""


def listing(items: Sequence[object]) -> object:
    """``a, b, c`` in the message's language (``a、b、c``); one item as it is."""
    return _chain("common.list", list(items)) if items else ""


def all_of(items: Sequence[object]) -> object:
    """``a and b and c`` in the message's language (``a和b和c``); one item as it is."""
    return _chain("common.and", list(items)) if items else ""


def counted(n: int, noun: str) -> Msg:
    """``n`` things in the message's language: ``1 stall``, ``3 stalls``, ``3 个车位``.

    ``noun`` names a pair of keys ``common.n_<noun>_one`` / ``common.n_<noun>_many`` (English
    has a singular, Chinese a measure word).
    """
    return Msg(f"common.n_{noun}_{'one' if n == 1 else 'many'}", n=n)
