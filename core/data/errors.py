"""The exceptions of the data layer.

Every problem with user input (a bad parameter, a broken CSV or IDX file, a failed download)
raises a `DataError`. It is a `ValueError`, so `except ValueError` also catches it, and its
message is written for the person using the app: what is wrong, what is allowed, what was given.
"""

from __future__ import annotations


class DataError(ValueError):
    """A data set could not be made, read or downloaded; the message says why."""


class CSVError(DataError):
    """An uploaded CSV file was refused."""


class IDXError(DataError):
    """A file is not a valid IDX file of unsigned bytes (the MNIST file format)."""


class DownloadError(DataError):
    """No mirror delivered a file with the expected checksum."""
