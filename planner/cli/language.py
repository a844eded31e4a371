"""The language of the command line's messages: English, or 中文 with ``PLANNER_LANG=zh``."""

from __future__ import annotations

import os

#: The environment variable choosing the language of the planner's messages (``zh``, ``en``).
LANG_ENV = "PLANNER_LANG"


def error_language() -> str:
    """``zh`` when :data:`LANG_ENV` asks for Chinese (``zh``, ``zh_CN`` ...), else ``en``."""
    return "zh" if os.environ.get(LANG_ENV, "").strip().lower().startswith("zh") else "en"


def note_line(note: object, *, about: str | None = None) -> str:
    """A ``note:`` line for the command line's stderr.

    The note in the language of the messages (:func:`error_language`: a note made by key,
    :class:`planner.messages.Msg`, is given in Chinese with ``PLANNER_LANG=zh``), after
    ``about`` (a file or layer) when given, with control and bidi characters escaped: notes
    name features, layers and files from the data, which stay text on a terminal.
    """
    from planner.cli.inspect import visible
    from planner.messages import localized

    text = localized(note, error_language())
    return visible(f"note: {about}: {text}" if about else f"note: {text}")
