"""The planner's exception hierarchy.

Every error a user can cause is a :class:`PlannerError`. Each class also derives from the
built-in exception it refines, so callers may catch either. Messages are one line, name the
file (where there is one) and say what to do.
"""

from __future__ import annotations

from os import PathLike

from planner.messages import Msg, localized


class PlannerError(Exception):
    """Base class of every error the planner raises on purpose.

    Raised with a :class:`~planner.messages.Msg` (a message by key), the error reads in
    English as ``str(exc)`` and in the page's language as ``exc.localized(lang)``.
    """

    def localized(self, lang: str) -> str:
        """The message in ``lang`` (``zh`` or ``en``); plain-text messages as they are."""
        first = self.args[0] if self.args else ""
        if len(self.args) == 1 and isinstance(first, Msg):
            return first.localized(lang)
        return str(self)


class InputFileError(PlannerError, ValueError):
    """A file the user gave cannot be used.

    Parameters
    ----------
    path : str or PathLike
        The file (or ``file:layer``) the problem is in.
    problem : str
        What is wrong and, where possible, what to do about it.
    """

    def __init__(self, path: str | PathLike[str], problem: str) -> None:
        # a file name stays as it is; a Msg standing for one ("the upload") keeps its key
        self.path = path if isinstance(path, Msg) else str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self) -> tuple:  # pickled as (path, problem): errors cross worker processes
        return (type(self), (self.path, self.problem), self.__dict__)

    def localized(self, lang: str) -> str:
        """``file: problem`` with the problem in ``lang`` (the file name as it is)."""
        return f"{localized(self.path, lang)}: {localized(self.problem, lang)}"


class UnreadableFileError(InputFileError):
    """The file is missing, truncated or not a format GDAL can read."""


class NoCrsError(InputFileError):
    """The layer has no coordinate reference system and none can be assumed."""


class GeometryTypeError(InputFileError, TypeError):
    """The layer's geometry type does not fit the role it was given."""


class EmptyLayerError(InputFileError):
    """The layer has no usable features."""


class MissingAttributeError(InputFileError, KeyError):
    """A column the role needs is missing."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0] if self.args else ""


class EncodingError(InputFileError, UnicodeError):
    """The attribute text cannot be decoded with the encoding given or detected."""


class UnsafeArchiveError(InputFileError):
    """An uploaded archive was refused (path traversal, too large, zip bomb, ...)."""


class ConfigError(PlannerError, ValueError):
    """The configuration (weights, thresholds, options) is invalid."""


class OutputError(PlannerError, OSError):
    """The output file cannot be written."""


# --- added by the data in/out work (issue 3) -------------------------------------------------


class LayerChoiceError(InputFileError):
    """A file holds several layers (or an archive several datasets) and none was chosen."""


class PairwiseMatrixError(ConfigError):
    """An AHP pairwise comparison matrix is malformed (not square, not reciprocal, off-scale)."""


class InconsistentJudgementsError(ConfigError):
    """An AHP pairwise matrix is too inconsistent (consistency ratio above the limit).

    Attributes
    ----------
    cr : float
        The consistency ratio found.
    conflicts : list of tuple
        ``(criterion_i, criterion_j, judged, implied)`` for the judgements that disagree most
        with the weights, worst first.
    """

    def __init__(
        self, message: str, *, cr: float, conflicts: list[tuple[str, str, float, float]]
    ) -> None:
        self.cr = cr
        self.conflicts = conflicts
        super().__init__(message)


class InfeasibleTargetsError(ConfigError):
    """The planner's targets (spaces, areas, budget) cannot all be met by any choice of plots."""
