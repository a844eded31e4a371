"""Access: how far people are from a place.

The distance contract and the straight line (``distances``), the walking graph (``graph``),
snapping places to it (``attach``) and walking distances (``network``).
"""
