"""Run history shared by the Playground and the MNIST page: small records of finished runs
(configuration, curves, final metrics), a bounded history, their differences, CSV and JSON."""

from core.runs.history import RunHistory, differences
from core.runs.record import RunRecord
from core.runs.serialize import RunFileError, from_json, to_csv, to_json

__all__ = ["RunHistory", "RunRecord", "RunFileError", "differences", "from_json", "to_csv", "to_json"]
