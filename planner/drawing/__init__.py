"""What a planner hands in: map sheets at true scale (PDF, PNG) and CAD drawings (DXF).

:mod:`.model` what a drawing holds, :mod:`.content` builds it from a run, :mod:`.dxf` writes
it for CAD, :mod:`.sheet` lays it out on paper, :mod:`.fonts` finds a font with every Chinese
glyph, :mod:`.tiles` reads a local tile source for a base map.
"""
