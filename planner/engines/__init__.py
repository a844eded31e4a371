"""Engines that run :func:`planner.score`: on this machine, or on a dask cluster.

``single`` is :func:`planner.scoring.score` in this process. ``dask`` (:mod:`planner.engines.dask`,
optional extra ``dask``) cuts the plots into spatial partitions with halos and measures them on
a dask.distributed cluster; its results equal the single engine's.
"""

from __future__ import annotations

#: Engine names accepted by ``planner score --engine``.
ENGINES = ("single", "dask")
