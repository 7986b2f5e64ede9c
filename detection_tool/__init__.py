"""The detector: which sensitive data types sit at which field paths. Never returns values."""

from detection_tool.catalog import CATALOG, DataType
from detection_tool.detector import Detector
from detection_tool.errors import DetectionInputError
from detection_tool.findings import Finding

__all__ = ["CATALOG", "DataType", "DetectionInputError", "Detector", "Finding"]
