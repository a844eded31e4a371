"""Deciding among scored plots: weights, sensitivity, selection, allocation, life circles.

``lifecircles`` lives here rather than in :mod:`planner.access`: it uses the walking distances,
but what it makes is a planning output — each life circle's report card against the targets,
before and after the recommended conversions, the check a decision is judged by.
"""
