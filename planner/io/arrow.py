"""Whether pyogrio reads and writes through Arrow: when pyarrow is installed (it is optional)."""

try:
    import pyarrow  # noqa: F401

    HAS_ARROW = True
except ImportError:  # pragma: no cover - pyarrow is optional
    HAS_ARROW = False
