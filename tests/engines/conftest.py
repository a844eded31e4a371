"""Fixtures of the engine tests: a dask cluster and client, one of each per test module."""

from __future__ import annotations

import distributed  # the optional extra "dask", installed with the test extra
import pytest


@pytest.fixture(scope="module")
def cluster():
    # one in-process worker with two threads: the same scheduling as a real cluster, without
    # the seconds it takes to start worker processes
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster) as c:
        yield c
