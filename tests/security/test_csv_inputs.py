"""Issue 20, items 6 and 8: UTF-16/UTF-8 files with a byte-order mark, whole-number regression targets."""

import codecs

import numpy as np
import pytest

from core.data import parse_csv
from core.data.errors import CSVError

ROWS = "x1\tx2\tlabel\n" + "".join(f"{i / 10:.1f}\t{(i % 7) / 3:.3f}\t{i % 2}\n" for i in range(40))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_a_file_with_a_byte_order_mark_is_decoded(encoding):
    data = ROWS.encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    dataset = parse_csv(data, seed=0, test_ratio=0.25)
    assert dataset.task == "binary"
    assert len(dataset.X_train) + len(dataset.X_test) == 40
    assert sorted(np.unique(np.concatenate([dataset.y_train, dataset.y_test]))) == [0, 1]


def test_utf16_without_a_byte_order_mark_is_still_refused_as_binary():
    with pytest.raises(CSVError, match="binary file"):
        parse_csv(ROWS.encode("utf-16-le"), seed=0)


def test_damaged_utf16_is_a_clear_message():
    with pytest.raises(CSVError, match="UTF-16 text but is damaged"):
        parse_csv(codecs.BOM_UTF16_LE + ROWS.encode("utf-16-le") + b"\x00\xd8", seed=0)


def test_whole_number_targets_with_many_values_are_a_regression_task():
    prices = "".join(f"{i},{i % 5},{100_000 + 1_000 * i}\n" for i in range(60))
    dataset = parse_csv(prices.encode(), seed=0)
    assert dataset.task == "regression"
    assert float(np.max(np.concatenate([dataset.y_train, dataset.y_test]))) == 159_000.0
