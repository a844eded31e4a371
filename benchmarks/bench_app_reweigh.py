"""The app's weight move: what a rerun computes after a slider moves, before and after.

Run: ``python benchmarks/bench_app_reweigh.py [SIZES ...] [--before REF]`` (not part of the
tests). Plots are :mod:`bench_app_map`'s grid (30 × 20 m boxes 60 m apart, plots only), the
criteria measured once (the app caches them per data load).

Side by side in one run, for each of the 11 sliders moved up by 0.1 in turn (a fresh
:class:`~planner.app.run.Run` each time, as each rerun makes one), ``planner/app/run.py`` of git
``REF`` (default ``main``, loaded from ``git show``) against the working tree's:

* **score_run** — the weighting of the rerun (``REF``: ``planner.combine`` with every plot's
  reasons in two languages; now: ``WeightBase.reweigh`` and the result frame, no reasons);
* **rerun** — ``score_run`` plus what the tabs then show with reasons: the candidate table
  with default filters (``candidates_view``, Chinese) and the selected plot's text.

Median and maximum over the moves. Once, now: the base (first scoring at a data load or a new
threshold) and every plot's reasons in both languages (what a download writes when pressed).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import planner
from planner.app import run as run_now
from planner.app.selected import plot_text, selected_plot, shown_plot
from planner.app.weights import base_for

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_app_map import grid, machine, module_at, slider_moves, timed  # noqa: E402


def run_of(ref: str):  # noqa: ANN201 - a module
    """``planner/app/run.py`` as it is at git ``ref``, imported under another name."""
    return module_at(ref, "planner/app/run.py", "run_before")


def rerun(module, table, config, plot_id: str) -> tuple[float, float]:  # noqa: ANN001
    """Seconds of ``score_run``, and of it plus the candidate table and the selected plot."""
    run = module.Run("demo", table.layers, "demo", {}, config)
    t0 = time.perf_counter()
    module.score_run(run, lambda *_: table, "zh")  # plots only: no life-circle card
    t1 = time.perf_counter()
    assert run.result is not None
    module.candidates_view(run, "zh", None)
    if module is run_now:
        row = shown_plot(run, plot_id, "zh")
    else:
        row = selected_plot(run.result, plot_id)
    plot_text(row, "zh")
    return t1 - t0, time.perf_counter() - t0


def main(sizes: list[int], before_ref: str) -> None:
    before = run_of(before_ref)
    print(machine())
    print("plots  version  score_run_ms(med/max)  rerun_ms(med/max) | base_ms  all_reasons_s")
    for n in sizes:
        config = planner.PlannerConfig()
        table = planner.compute_criteria(planner.Layers(plots=grid(n)), config)
        plot_id = str(table.plots["plot_id"].iloc[n // 2])
        _, t_base = timed(base_for, table, config)  # at the data load
        times: dict[str, list[tuple[float, float]]] = {before_ref: [], "now": []}
        for i, moved in enumerate(slider_moves(config)):
            pair = [(before_ref, before), ("now", run_now)]
            for label, module in pair if i % 2 else pair[::-1]:
                times[label].append(rerun(module, table, moved, plot_id))
        run = run_now.Run("demo", table.layers, "demo", {}, config)
        run_now.score_run(run, lambda *_, t=table: t, "zh")
        _, t_all = timed(run_now.with_reasons, run)
        for label, got in times.items():
            score, whole = ([t[k] * 1e3 for t in got] for k in (0, 1))
            print(
                f"{n:>6}  {label:>7}  {statistics.median(score):8.1f} / {max(score):7.1f}"
                f"  {statistics.median(whole):8.1f} / {max(whole):7.1f} |"
                + (f"  {t_base * 1e3:7.1f}  {t_all:6.2f}" if label == "now" else ""),
                flush=True,
            )
    print("after: " + machine())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[20000])
    parser.add_argument("--before", default="main", help="git ref of run.py to compare with")
    args = parser.parse_args()
    main(args.sizes, args.before)
