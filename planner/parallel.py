"""Independent pieces of one job spread over the cores of this machine.

The single engine is vectorised, but numpy, shapely and scipy's graph searches each use one
core. Large jobs are made of pieces that do not depend on each other — tiles of the
walking-network search, chunks of homes to attach to the network — so :func:`map_ordered`
runs such pieces in worker processes and hands back their results **in the order of the
pieces**; :class:`Background` runs one independent part (the plots' own measures) beside
the rest. Each piece is computed by the same code on the same
data as in one process, so the results are identical whatever the number of workers (tested).

Workers are forked from the running process (Linux): they see every array the parent holds
without copying or pickling, and only the pieces' results travel back. Where ``fork`` is not
available (Windows, macOS), inside a worker, or with ``workers=1``, the pieces run one after
the other in this process. A process with other threads running (the streamlit app) should
keep ``workers=1``: forking such a process is unsafe.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import multiprocessing as mp
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from planner.errors import ConfigError, PlannerError
from planner.messages import Msg

T = TypeVar("T")
R = TypeVar("R")

_TASK: Callable | None = None  # the function of the running map, inherited by forked workers
_BACKGROUND: Callable[[], Any] | None = None  # the job a Background process inherits
_IN_WORKER = False
_CORES_TAKEN = 0  # cores of this run busy with a Background job: map_ordered leaves them


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the platform reports it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether worker processes can be forked here (Linux, and not already in a worker)."""
    return (
        not _IN_WORKER and sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()
    )


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """The C library's ``malloc_trim``, looked up once (``find_library`` runs ``ldconfig``)."""
    import ctypes
    import ctypes.util

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_freed_memory() -> bool:
    """Hand the memory this process has freed back to the operating system (glibc only).

    Freed blocks stay in the C allocator's heap, counted in the process's resident size and
    shared with every worker forked later, until the top of the heap is free: dropping a
    city's 1,000,000 building outlines frees about 450 MB but gives back about 60 MB;
    ``malloc_trim`` gives back about 390 MB (issue 17). Returns whether anything was done
    (``False`` off glibc, e.g. macOS, Windows, musl).
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def resolve_workers(workers: int | str | None) -> int:
    """Number of worker processes: ``"auto"``/``0``/``None`` mean every available core.

    Raises
    ------
    ConfigError
        If ``workers`` is negative or not a number.
    """
    if workers is None or workers == "auto":
        return available_cores()
    try:
        n = int(workers)
    except (TypeError, ValueError):
        raise ConfigError(Msg("config.workers_not_int", value=workers)) from None
    if n < 0:
        raise ConfigError(Msg("config.workers_negative", value=n))
    return available_cores() if n == 0 else n


def _worker_started() -> None:
    global _IN_WORKER
    _IN_WORKER = True


def _call(item):  # noqa: ANN001, ANN202 - runs in a worker: the inherited task on one item
    assert _TASK is not None
    return _TASK(item)


@contextlib.contextmanager
def _forking() -> Iterator[None]:
    """Around a fork: freed memory given back, the living objects frozen in the children.

    The C heap's freed blocks would otherwise be shared with the children and counted.
    Objects alive at the fork are frozen (:func:`gc.freeze`) in the children only (this
    process unfreezes them at once): a garbage collection writes to every object it visits
    and so copies its page into the child, about 400 MB for the two workers of the residents
    searches at 100,000 plots (issue 17).
    """
    release_freed_memory()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def cores_taken(n: int) -> Iterator[None]:
    """Within the block, ``n`` of the run's cores are busy with a :class:`Background` job.

    :func:`map_ordered` then runs with ``n`` fewer workers (in this process when one is
    left), so work done beside the job uses the cores the job leaves, not the job's own
    (issue 17: the walking network's places are located while the plots' own measures run).
    The results do not depend on it, as they do not depend on ``workers``.
    """
    global _CORES_TAKEN
    previous, _CORES_TAKEN = _CORES_TAKEN, _CORES_TAKEN + max(0, int(n))
    try:
        yield
    finally:
        _CORES_TAKEN = previous


def map_ordered(fn: Callable[[T], R], items: Iterable[T], workers: int = 1) -> Iterator[R]:
    """``fn(item)`` for each item, yielded in the order of ``items``.

    Parameters
    ----------
    fn : callable
        Any function, closures included (workers inherit it; it is never pickled). Its
        results are pickled back to this process.
    items : iterable
        Pieces of work; small descriptions (indices, slices) travel best.
    workers : int
        Worker processes (at most one per item, less the cores taken, see
        :func:`cores_taken`); ``1``, a single item, or no ``fork`` here runs everything in
        this process.
    """
    global _TASK
    items = list(items)
    n = min(int(workers) - _CORES_TAKEN, len(items))
    if n <= 1 or not can_fork():
        for item in items:
            yield fn(item)
        return
    previous, _TASK = _TASK, fn
    try:
        # the pool forks its workers here, after _TASK is set: they inherit fn and the data
        with _forking():
            pool = mp.get_context("fork").Pool(n, initializer=_worker_started)
        with pool:
            yield from pool.imap(_call, items, chunksize=1)
    finally:
        _TASK = previous


def chunks(n: int, parts: int) -> list[slice]:
    """``parts`` contiguous slices covering ``range(n)`` (fewer when ``n`` is small)."""
    parts = max(1, min(int(parts), n))
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]


def split_work(n: int, workers: int, *, min_size: int) -> Sequence[slice]:
    """Slices of ``range(n)`` for :func:`map_ordered`: a few per worker, none below ``min_size``.

    One slice (everything at once) when ``workers`` is 1 or ``n`` is small.
    """
    if workers <= 1 or n < 2 * min_size:
        return [slice(0, n)]
    return chunks(n, min(4 * workers, n // min_size))


def _background_main(conn) -> None:  # noqa: ANN001 - runs in the forked process
    _worker_started()
    try:
        assert _BACKGROUND is not None
        message = (True, _BACKGROUND())
    except BaseException as e:  # handed to the parent, which raises it
        message = (False, e)
    try:
        conn.send(message)
    except (pickle.PicklingError, TypeError, AttributeError):  # an exception that won't pickle
        text = Msg("config.worker_error", kind=type(message[1]).__name__, detail=str(message[1]))
        conn.send((False, PlannerError(text)))
    finally:
        conn.close()


class Background:
    """``fn(*args, **kwargs)`` computed in a forked process while this one goes on.

    For a large independent part of a job (the plot shape and stall-layout measures run
    beside the walking-network searches): the other core works on it during this process's
    one-core steps. :meth:`result` waits for it and returns its value (or raises its error).
    Without ``fork`` here, inside a worker, or with ``enabled=False`` it is computed at once,
    in this process. No threads are started, so later forks stay safe.
    """

    def __init__(
        self, fn: Callable[..., R], *args: Any, enabled: bool = True, **kwargs: Any
    ) -> None:
        global _BACKGROUND
        call = functools.partial(fn, *args, **kwargs)
        self._proc = None
        self._ok = True
        if not (enabled and can_fork()):
            self._value = call()
            return
        ctx = mp.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        _BACKGROUND = call
        try:
            self._proc = ctx.Process(target=_background_main, args=(send,), daemon=True)
            with _forking():
                self._proc.start()
        finally:
            _BACKGROUND = None
            send.close()

    def cancel(self) -> None:
        """Stop the job if it is still running; its result is not wanted."""
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join()
            self._recv.close()
            self._proc = None
            self._ok, self._value = False, PlannerError(Msg("config.job_cancelled"))

    @property
    def running(self) -> bool:
        """Whether the job runs in its own process and its result is not collected yet."""
        return self._proc is not None

    def result(self) -> Any:
        """The job's value; raises what the job raised.

        Raises
        ------
        PlannerError
            If the background process ended without a result (killed, out of memory).
        """
        if self._proc is None:
            if not self._ok:
                raise self._value
            return self._value
        try:
            ok, value = self._recv.recv()
        except EOFError:
            self._proc.join()
            raise PlannerError(Msg("config.worker_died", code=self._proc.exitcode)) from None
        finally:
            self._recv.close()
        self._proc.join()
        self._proc = None
        self._ok, self._value = ok, value
        if not ok:
            raise value
        return value
