"""core/data/layer_sizes.py: the one parser of typed layer lists."""

import pytest

from core.data import DataError, parse_layer_sizes


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        ("256, 128", (256, 128)),
        ("3-4-3", (3, 4, 3)),
        ("8 8", (8, 8)),
        (" 7 ", (7,)),
        ("none", ()),
        ("", ()),
        ("0", ()),
        (None, ()),
    ],
)
def test_spellings_people_type(text, sizes):
    assert parse_layer_sizes(text) == sizes


@pytest.mark.parametrize("text", ["a,b", "3.5", "4,x", "1e3", "32x32"])
def test_non_numbers_are_refused_with_the_text(text):
    with pytest.raises(DataError, match="whole numbers"):
        parse_layer_sizes(text)


def test_limits_name_what_is_wrong():
    with pytest.raises(DataError, match="at most 2 layers"):
        parse_layer_sizes("4,4,4", max_layers=2)
    with pytest.raises(DataError, match="at least 3"):
        parse_layer_sizes("4,4", min_layers=3)
    with pytest.raises(DataError, match="1 to 16 neurons; got 17"):
        parse_layer_sizes("4,17", max_width=16)
    with pytest.raises(DataError, match="got -1"):
        parse_layer_sizes("4,-1")  # a dash separates digits only, so '-1' cannot sneak in as 1
    assert parse_layer_sizes("4,16", max_width=16, max_layers=2, min_layers=2) == (4, 16)
