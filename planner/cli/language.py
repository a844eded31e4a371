"""The language of the command line's messages: English, or 中文 with ``PLANNER_LANG=zh``."""

from __future__ import annotations

import os

#: The environment variable choosing the language of the planner's messages (``zh``, ``en``).
LANG_ENV = "PLANNER_LANG"


def error_language() -> str:
    """``zh`` when :data:`LANG_ENV` asks for Chinese (``zh``, ``zh_CN`` ...), else ``en``."""
    return "zh" if os.environ.get(LANG_ENV, "").strip().lower().startswith("zh") else "en"
