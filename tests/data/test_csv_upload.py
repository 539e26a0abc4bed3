"""Tests for core/data/csv_upload.py: every refusal names the problem; good files round-trip."""

import numpy as np
import pytest

from core.data import CSVError, parse_csv
from core.data.csv_upload import MAX_ROWS


def make_csv(rows, header="x1,x2,label", sep=","):
    lines = [header] if header else []
    lines += [sep.join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def classification_rows(n=20, labels=(3, 7)):
    return [(round(0.5 * i, 2), round(-0.25 * i, 2), labels[i % len(labels)]) for i in range(n)]


def all_rows(ds):
    X = np.concatenate([ds.X_train, ds.X_test])
    y = np.concatenate([ds.y_train, ds.y_test])
    order = np.argsort(X[:, 0])
    return X[order], y[order]


# ---------------------------------------------------------------- good files


@pytest.mark.parametrize("header", ["x1,x2,label", None])
def test_classification_file_round_trips_with_and_without_header(header):
    rows = classification_rows()
    ds = parse_csv(make_csv(rows, header=header), seed=0, test_ratio=0.5)
    assert ds.task == "binary" and ds.class_names == ("3", "7") and ds.n_classes == 2
    assert ds.params["header"] == (header is not None)
    X, y = all_rows(ds)
    np.testing.assert_allclose(X, np.array([r[:2] for r in rows], dtype=np.float32))
    np.testing.assert_array_equal(y, [0 if r[2] == 3 else 1 for r in rows])  # 3 -> 0, 7 -> 1
    np.testing.assert_array_equal(np.bincount(ds.y_test), [5, 5])  # stratified
    assert ds.X_train.dtype == np.float32 and ds.y_train.dtype == np.int64


def test_regression_file_semicolons_blank_lines_comments_and_bom():
    rows = [(i, 2 * i, 0.1 * i + 0.05) for i in range(12)]
    data = b"\xef\xbb\xbf# my data\n" + make_csv(rows, header="a;b;target", sep=";") + b"\n\n"
    ds = parse_csv(data, test_ratio=0.25)
    assert ds.task == "regression" and ds.n_classes == 0 and ds.y_train.dtype == np.float32
    assert ds.params["columns"] == ("a", "b", "target") and ds.params["delimiter"] == ";"
    assert ds.n_test == 3
    X, y = all_rows(ds)
    np.testing.assert_allclose(y, [r[2] for r in rows], rtol=1e-6)


def test_multiclass_tabs_quotes_and_whole_number_floats():
    rows = [(i, -i, f'"{float(i % 4)}"') for i in range(40)]
    ds = parse_csv(make_csv(rows, header=None, sep="\t"))
    assert ds.task == "multiclass" and ds.class_names == ("0", "1", "2", "3")


def test_forcing_the_task():
    data = make_csv(classification_rows(labels=(1, 2, 3)))
    assert parse_csv(data, task="regression").task == "regression"
    assert parse_csv(data, task="classification").task == "multiclass"
    with pytest.raises(CSVError, match=r"line 2: label 0.5 is not a whole number"):
        parse_csv(make_csv([(1, 1, 0.5)] + classification_rows()), task="classification")
    with pytest.raises(ValueError, match=r"task must be one of 'auto', 'classification', 'regression'"):
        parse_csv(data, task="clustering")


def test_same_seed_same_split():
    data = make_csv(classification_rows(40))
    a, b, c = parse_csv(data, seed=4), parse_csv(data, seed=4), parse_csv(data, seed=5)
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert not np.array_equal(a.X_test, c.X_test)


def test_str_input_is_accepted():
    assert parse_csv(make_csv(classification_rows()).decode()).n_train == 10


# ---------------------------------------------------------------- refusals


def test_refuses_empty_files():
    for data in (b"", b"   \n\n"):
        with pytest.raises(CSVError, match="the file is empty"):
            parse_csv(data)
    with pytest.raises(CSVError, match=r"the file is empty \(no data lines\)"):
        parse_csv(b"# only a comment\n")


def test_refuses_binary_data():
    with pytest.raises(CSVError, match="looks like a binary file"):
        parse_csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CSVError, match=r"looks like a binary file \(control character 0x01\)"):
        parse_csv(b"1,2,3\n\x01\x02,3,4\n")


def test_refuses_text_that_is_not_utf8():
    with pytest.raises(CSVError, match=r"not UTF-8 text \(byte 0xe9 at position 1\)"):
        parse_csv("xé,y,label\n".encode("latin-1") + make_csv(classification_rows(), header=None))


def test_refuses_files_over_5_mb():
    data = b"1,2,3\n" * (5 * 1024 * 1024 // 6 + 1)
    with pytest.raises(CSVError, match=r"the file is 5.2 MB; the limit is 5 MB"):
        parse_csv(data)


def test_refuses_more_than_20000_rows():
    data = b"1,2,0\n1,2,1\n" * (MAX_ROWS // 2) + b"3,4,1\n"
    with pytest.raises(CSVError, match=r"the file has 20,001 data rows; the limit is 20,000"):
        parse_csv(data)
    assert parse_csv(b"1,2,0\n1,2,1\n" * (MAX_ROWS // 2)).n_train == MAX_ROWS // 2  # exactly the limit


def test_refuses_fewer_than_10_rows():
    with pytest.raises(CSVError, match=r"the file has 9 data row\(s\); at least 10 are needed"):
        parse_csv(make_csv(classification_rows(9)))


@pytest.mark.parametrize(
    "data, message",
    [
        (b"x1,x2\n" + b"1,2\n" * 12, r"line 1: the header has 2 column\(s\); expected 3"),
        (
            make_csv(classification_rows()[:5] + [(1, 2, 3, 4)] + classification_rows()[5:]),
            r"line 7: found 4 column\(s\); every row needs exactly 3",
        ),
        (b"1\n" * 12, r"line 1: found 1 column\(s\); every row needs exactly 3"),
    ],
    ids=["short header", "long row", "one column"],
)
def test_refuses_wrong_column_counts(data, message):
    with pytest.raises(CSVError, match=message):
        parse_csv(data)


def test_refuses_non_numeric_cells_naming_line_and_column():
    rows = classification_rows()
    rows[4] = (1.0, "abc", 3)
    with pytest.raises(CSVError, match=r"line 6, column 2 \(x2\): 'abc' is not a number"):
        parse_csv(make_csv(rows))
    rows[4] = (1.0, 2.0, "")
    with pytest.raises(CSVError, match=r"line 5, column 3 \(label\): '' is not a number"):
        parse_csv(make_csv(rows, header=None))


@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity", "1e300"])
def test_refuses_nan_and_infinity(bad):
    rows = classification_rows()
    rows[2] = (bad, 1.0, 3)
    what = "is too large" if bad == "1e300" else r"is not a finite number \(NaN or infinity\)"
    with pytest.raises(CSVError, match=rf"line 4, column 1 \(x1\): '{bad}' {what}"):
        parse_csv(make_csv(rows))


def test_refuses_a_single_class():
    with pytest.raises(CSVError, match=r"found only 1 class \(label 3\); classification needs at least 2"):
        parse_csv(make_csv(classification_rows(labels=(3,))))


def test_refuses_more_than_10_classes_when_classification_is_asked_for():
    with pytest.raises(CSVError, match=r"found 11 different labels; at most 10 classes .*task='regression'"):
        parse_csv(make_csv(classification_rows(22, labels=tuple(range(11)))), task="classification")


def test_eleven_whole_number_labels_are_a_regression_target_by_default():  # issue 20, item 8
    assert parse_csv(make_csv(classification_rows(22, labels=tuple(range(11))))).task == "regression"


def test_refuses_a_class_with_a_single_row():
    rows = classification_rows() + [(9, 9, 5)]
    with pytest.raises(CSVError, match=r"class '5' has only 1 sample; every class needs at least 2"):
        parse_csv(make_csv(rows))


def test_refuses_bad_split_parameters():
    data = make_csv(classification_rows())
    with pytest.raises(ValueError, match=r"test_ratio must be a number from 0.1 to 0.9; got 0.95"):
        parse_csv(data, test_ratio=0.95)
    with pytest.raises(ValueError, match=r"seed must be a whole number >= 0; got -1"):
        parse_csv(data, seed=-1)


def test_refuses_non_bytes():
    with pytest.raises(CSVError, match="expected the file's bytes; got int"):
        parse_csv(42)
