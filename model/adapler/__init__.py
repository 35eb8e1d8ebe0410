"""AdapLeR model side: PyTorch reference, batched adaptive forward, bundle exporter."""

from .config import Geometry
from .modeling import AdaplerClassifier

__all__ = ["Geometry", "AdaplerClassifier"]
