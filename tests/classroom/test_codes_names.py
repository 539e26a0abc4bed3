"""Join codes, secrets and the checks on typed text (no database)."""

from __future__ import annotations

import hashlib

import pytest

from core.classroom import codes, names


def test_join_codes_are_six_unambiguous_characters_and_vary():
    drawn = {codes.new_join_code() for _ in range(500)}
    assert len(drawn) == 500  # 32**6 codes: a repeat among 500 would be a broken generator
    for code in drawn:
        assert len(code) == 6 and set(code) <= set(codes.JOIN_CODE_ALPHABET)
    assert not set("0O1I") & set(codes.JOIN_CODE_ALPHABET)
    # every symbol shows up: the draw covers the whole alphabet
    assert set("".join(drawn)) == set(codes.JOIN_CODE_ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("K7QX3M", "K7QX3M"), ("  k7qx3m\n", "K7QX3M"), ("k7q-x3m", "K7QX3M"), ("K7Q X3M", "K7QX3M")],
)
def test_join_code_input_is_trimmed_and_case_insensitive(typed, expected):
    assert codes.normalize_join_code(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "K7QX3", "K7QX3MM", "K0QX3M", "KOQX3M", "K1QX3M", "KIQX3M", None, 123456]
)
def test_what_cannot_be_a_join_code_is_refused(typed):
    assert codes.normalize_join_code(typed) is None


def test_secrets_are_long_random_and_hashed_with_sha256():
    first, second = codes.new_secret(), codes.new_secret()
    assert first != second and len(first) >= 43
    assert codes.hash_secret(first) == hashlib.sha256(first.encode()).hexdigest()
    assert len(codes.hash_secret(first)) == 64 and codes.hash_secret(first) != codes.hash_secret(second)


def test_display_names_are_trimmed_and_nfkc_normalised():
    assert names.clean_display_name("  Anna  ") == "Anna"
    assert names.clean_display_name("Ａｎｎａ") == "Anna"  # full-width letters
    assert names.clean_display_name("ﬁona") == "fiona"  # the fi ligature
    # markup is a valid name: the pages show it as text, so it is stored as typed
    assert names.clean_display_name("<img src=x onerror=alert(1)>") == "<img src=x onerror=alert(1)>"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("x" * 33, "33 characters"),
        ("An\nna", "control character"),
        ("An\u202ena", "U+202E"),  # right-to-left override
        ("An\u200bna", "U+200B"),  # zero-width space
        ("An\x00na", "U+0000"),
        (42, "must be text"),
    ],
)
def test_bad_display_names_are_refused_with_a_reason(typed, words):
    with pytest.raises(names.InvalidTextError) as caught:
        names.clean_display_name(typed)
    assert words in caught.value.message
    assert "display name" in caught.value.message


def test_length_limits_count_characters_after_normalising():
    assert names.clean_display_name("é" * 32) == "é" * 32  # 64 bytes in UTF-8, 32 characters
    assert len(names.clean_title("t" * 80)) == 80
    with pytest.raises(names.InvalidTextError, match="81 characters"):
        names.clean_title("t" * 81)
    assert len(names.clean_text("g" * 500)) == 500
    with pytest.raises(names.InvalidTextError, match="at most 500"):
        names.clean_text("g" * 501)


def test_long_texts_keep_their_lines_and_titles_do_not():
    assert names.clean_text(" Goal:\r\nreach 95 %\r ") == "Goal:\nreach 95 %"
    with pytest.raises(names.InvalidTextError):
        names.clean_title("two\nlines")


def test_names_compare_case_insensitively_beyond_ascii():
    assert names.name_key("ANNA") == names.name_key("anna")
    assert names.name_key("STRASSE") == names.name_key("straße")  # casefold, not lower
    assert names.name_key("Émile") == names.name_key("émile")


def test_challenge_keys_counts_scores_and_json():
    assert names.challenge_keys([" xor ", "spiral"], 5) == ("xor", "spiral")
    for bad in (["xor", "xor"], [""], "xor", ["k" * 65], [1]):
        with pytest.raises(names.InvalidTextError):
            names.challenge_keys(bad, 5)
    with pytest.raises(names.InvalidTextError, match="at most 2"):
        names.challenge_keys(["a", "b", "c"], 2)
    assert names.whole_count(0, "epochs") == 0
    for bad in (-1, 1.5, True, "3"):
        with pytest.raises(names.InvalidTextError):
            names.whole_count(bad, "epochs")
    assert names.finite_score(1) == 1.0 and isinstance(names.finite_score(1), float)
    for bad in (float("nan"), float("inf"), True, "0.9"):
        with pytest.raises(names.InvalidTextError):
            names.finite_score(bad)
    assert names.json_text({"b": 1, "a": [1.5]}, "configuration") == '{"a": [1.5], "b": 1}'
    with pytest.raises(names.InvalidTextError, match="cannot be saved"):
        names.json_text({"x": float("nan")}, "configuration")
    with pytest.raises(names.InvalidTextError, match="too large"):
        names.json_text({"x": "y" * names.JSON_MAX_CHARS}, "configuration")
