"""Reading layers in and writing candidate lists out."""

from planner.io.read import read_layer, read_layers
from planner.io.write import OUTPUT_FORMATS, write_candidates

__all__ = ["OUTPUT_FORMATS", "read_layer", "read_layers", "write_candidates"]
