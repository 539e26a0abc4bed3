"""Reading a student's own 2-D data set from an uploaded CSV file.

Expected layout: three columns, x1, x2, label (or target), an optional header row, comma,
semicolon or tab separated. Blank lines and lines starting with '#' are skipped.
Whole-number labels with at most 10 different values make a classification task (remapped to
0..k-1, names keep the original values); other numbers, whole-number targets with more values
among them, make a regression task. Text is UTF-8, or UTF-8/UTF-16 starting with a byte-order mark
(a spreadsheet's "Unicode text" export). Anything else is refused with a message that says what
is wrong and where (line numbers count every line of the file, from 1).
"""

from __future__ import annotations

import codecs
import csv
import re

import numpy as np

from core.data.errors import CSVError, DataError
from core.data.labels import LABEL_TASKS, MAX_CLASSES, encode_labels
from core.data.split import check_test_ratio, split_indices
from core.data.two_d import Dataset2D
from core.data.validation import check_choice, check_seed

MAX_BYTES = 5 * 1024 * 1024  # 5 MB
MAX_ROWS = 20_000
MIN_ROWS = 10
N_COLUMNS = 3
DELIMITERS = (",", ";", "\t")
DEFAULT_COLUMNS = ("x1", "x2", "label")
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # allowed: tab, newlines, form feed


def _decode(data) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise CSVError(f"expected the file's bytes; got {type(data).__name__}.")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise CSVError(f"the file is {len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES // 2**20} MB.")
    if not data.strip():
        raise CSVError("the file is empty.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _check_text(_decode_utf16(data))  # a spreadsheet's "Unicode text" export
    if b"\x00" in data:
        raise CSVError("this looks like a binary file (it contains zero bytes), not a CSV text file.")
    try:
        text = data.decode("utf-8-sig")  # -sig: a UTF-8 byte-order mark is dropped
    except UnicodeDecodeError as err:
        raise CSVError(
            f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} at position {err.start}); "
            "save it as CSV (UTF-8)."
        ) from None
    return _check_text(text)


def _decode_utf16(data: bytes) -> str:
    try:
        return data.decode("utf-16")  # the byte-order mark says which byte order, and is dropped
    except UnicodeDecodeError as err:
        raise CSVError(
            f"the file starts like UTF-16 text but is damaged at byte {err.start}; save it as CSV (UTF-8)."
        ) from None


def _check_text(text: str) -> str:
    bad = _CONTROL_CHARACTER.search(text)
    if bad is not None:
        code = ord(bad.group())
        raise CSVError(f"this looks like a binary file (control character 0x{code:02x}), not CSV text.")
    return text


def _auto_task(labels: np.ndarray) -> str:
    """Whole numbers with few distinct values are classes; anything else (e.g. whole-number prices)
    is a numeric target, so the page never needs a task option the learner cannot see."""
    whole = bool(np.all(labels == np.round(labels)))
    return "classification" if whole and np.unique(labels).size <= MAX_CLASSES else "regression"


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _read_rows(text: str):
    """Return (line_numbers, rows, delimiter) of the non-blank, non-comment lines."""
    lines = text.splitlines()
    kept = [
        (i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")
    ]
    if not kept:
        raise CSVError("the file is empty (no data lines).")
    first = kept[0][1]
    delimiter = max(DELIMITERS, key=first.count)
    reader = csv.reader([line for _, line in kept], delimiter=delimiter)
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as err:  # e.g. a single "cell" longer than 128 kB
        raise CSVError(f"cannot read the file as CSV ({err}).") from None
    return [number for number, _ in kept], rows, delimiter


def parse_csv(
    data, task: str | None = "auto", seed: int = 0, test_ratio: float = 0.5, name: str = "uploaded CSV"
) -> Dataset2D:
    """Parse CSV bytes into a Dataset2D (seeded split, stratified for classification).

    task: "auto" (default; None means the same), "classification" or "regression".
    Raises CSVError (a ValueError) with a clear message for any file it cannot use.
    """
    task = check_choice("task", "auto" if task is None else task, LABEL_TASKS)
    seed = check_seed(seed)
    test_ratio = check_test_ratio(test_ratio)
    text = _decode(data)
    line_numbers, rows, delimiter = _read_rows(text)

    has_header = not any(_is_number(cell) for cell in rows[0])
    if has_header:
        columns = tuple(rows[0])
        if len(columns) != N_COLUMNS:
            raise CSVError(
                f"line {line_numbers[0]}: the header has {len(columns)} column(s); expected "
                f"{N_COLUMNS} (x1, x2, label)."
            )
        line_numbers, rows = line_numbers[1:], rows[1:]
    else:
        columns = DEFAULT_COLUMNS

    if len(rows) > MAX_ROWS:
        raise CSVError(f"the file has {len(rows):,} data rows; the limit is {MAX_ROWS:,}.")
    for line, row in zip(line_numbers, rows, strict=True):
        if len(row) != N_COLUMNS:
            raise CSVError(
                f"line {line}: found {len(row)} column(s); every row needs exactly {N_COLUMNS} "
                "(x1, x2, label)."
            )
    if len(rows) < MIN_ROWS:
        raise CSVError(f"the file has {len(rows)} data row(s); at least {MIN_ROWS} are needed.")

    try:
        values = np.array(rows, dtype=str).astype(np.float64)
    except ValueError:  # find the first bad cell to name it (only on the error path)
        for line, row in zip(line_numbers, rows, strict=True):
            for col, cell in enumerate(row):
                if not _is_number(cell):
                    raise CSVError(
                        f"line {line}, column {col + 1} ({columns[col]}): {cell!r} is not a number."
                    ) from None
        values = np.array([[float(cell) for cell in row] for row in rows])  # e.g. "1_000"
    too_big = np.isfinite(values) & (np.abs(values) > np.finfo(np.float32).max)  # float32 overflow
    bad = ~np.isfinite(values) | too_big
    if bad.any():
        r, c = np.argwhere(bad)[0]
        what = "is too large" if too_big[r, c] else "is not a finite number (NaN or infinity)"
        raise CSVError(
            f"line {line_numbers[r]}, column {c + 1} ({columns[c]}): {rows[r][c]!r} {what}; "
            "every value must be a finite number."
        )

    try:
        task = _auto_task(values[:, 2]) if task in (None, "auto") else task
        task, y, class_names = encode_labels(values[:, 2], task, lambda i: f"line {line_numbers[i]}")
    except DataError as err:
        raise CSVError(str(err)) from None
    rng = np.random.default_rng(seed)
    train, test = split_indices(y, test_ratio, rng, stratify=task != "regression")
    X = values[:, :2]
    params = {
        "source": "csv",
        "n_samples": len(rows),
        "header": has_header,
        "columns": columns,
        "delimiter": delimiter,
        "seed": seed,
        "test_ratio": test_ratio,
    }
    return Dataset2D(X[train], y[train], X[test], y[test], task, len(class_names), class_names, name, params)
