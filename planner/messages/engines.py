"""Messages of the engines (``--engine dask``)."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "dask_not_installed": {
        "en": "the dask engine needs dask-geopandas and distributed: "
        "pip install 'urban-microspace-planner[dask]'",
        "zh": "dask 引擎需要 dask-geopandas 和 distributed：请运行 "
        "pip install 'urban-microspace-planner[dask]'",
    },
    "dask_scheduler_unreachable": {
        "en": "cannot reach the dask scheduler at {address} ({problem}); check the address "
        "(tcp://host:8786) and that the scheduler is running",
        "zh": "无法连接 dask 调度器 {address}（{problem}）；请检查地址（tcp://host:8786）"
        "以及调度器是否在运行",
    },
    "dask_failed": {
        "en": "dask engine failed: {problem}",
        "zh": "dask 引擎运行失败：{problem}",
    },
    "dask_worker_cannot_read": {
        "en": "a dask worker cannot read {path} ({problem}); every worker must see the input "
        "files at the same path (a shared filesystem), with the planner installed",
        "zh": "dask 工作进程无法读取 {path}（{problem}）；每个工作进程都必须能在同一路径下"
        "看到输入文件（共享文件系统），并安装本规划工具",
    },
}
