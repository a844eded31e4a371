"""Reading layers in and writing candidate lists out (formats: ``docs/data-formats.md``)."""

from planner.io.archive import ArchiveLimits, safe_extract
from planner.io.columns import COLUMN_DOCS
from planner.io.read import (
    inspect_file,
    list_layers,
    list_upload_layers,
    load_layer,
    read_layer,
    read_layers,
    read_upload,
)
from planner.io.report import LayerReport
from planner.io.write import OUTPUT_FORMATS, atomic_path, write_candidates

__all__ = [
    "COLUMN_DOCS",
    "OUTPUT_FORMATS",
    "ArchiveLimits",
    "LayerReport",
    "atomic_path",
    "inspect_file",
    "list_layers",
    "list_upload_layers",
    "load_layer",
    "read_layer",
    "read_layers",
    "read_upload",
    "safe_extract",
    "write_candidates",
]
