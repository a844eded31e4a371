"""``planner ahp``: weights and consistency ratio of a pairwise comparison matrix (CSV)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from planner.config import USES


@click.command()
@click.argument("matrix_file", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print JSON: {"weights": {criterion: weight}, "cr": ..., ...}.',
)
@click.option(
    "--use",
    type=click.Choice(USES),
    default=None,
    help="Check the criteria against this use and print a [weights.<use>] section "
    "to paste into the configuration file.",
)
def ahp(matrix_file: Path, as_json: bool, use: str | None) -> None:
    """Weights (principal eigenvector) and consistency ratio of the pairwise matrix in FILE.

    FILE is a CSV with the criterion names as header and as first column, judgements on
    Saaty's 1–9 scale (fractions such as 1/3 allowed). A matrix with CR above 0.10 is refused
    and the judgements that conflict most are named.
    """
    from planner.config import PlannerConfig
    from planner.decision.ahp import ahp_weights, apply_ahp, read_pairwise_csv

    result = ahp_weights(read_pairwise_csv(matrix_file))
    if use is not None:
        apply_ahp(PlannerConfig(), use, result)  # refuses criteria the use does not have
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    width = max(len(str(k)) for k in result.weights.index)
    for name, w in result.weights.sort_values(ascending=False).items():
        click.echo(f"{name:<{width}}  {w:.3f}")
    click.echo(
        f"CR = {result.cr:.3f} (CI = {result.ci:.3f}, RI = {result.ri:.2f}, "
        f"λmax = {result.lambda_max:.3f}): consistent (CR <= 0.10)"
    )
    if use is not None:
        click.echo(f"\n[weights.{use}]")
        for name, w in result.weights.items():
            click.echo(f"{name} = {w:.4f}")
