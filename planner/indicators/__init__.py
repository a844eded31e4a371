"""The indicator card: the 城市体检 and 社区生活圈 indicators of a district, before and after.

A wing of its own: what it makes is an evaluation — the figures an official health check
(城市体检) and a life-circle evaluation report — not a decision, and it needs its own parts:
the indicators' definitions and clauses (``definitions``), residential land in cells and the
park service-radius coverage measured the official way and on foot (``coverage``), the
life-circle facility types (``facilities``), the plots that change (``selection``) and the
card itself (``card``). See ``docs/indicators.md``.
"""

from planner.indicators.card import IndicatorCard, indicator_card
from planner.indicators.selection import conversions, read_selection

__all__ = ["IndicatorCard", "conversions", "indicator_card", "read_selection"]
