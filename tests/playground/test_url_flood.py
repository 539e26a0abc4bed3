"""Issue 20, item 5: one forged link cannot flood the page with warnings (decode_query's summary)."""

from core.playground import url
from core.playground.url import MAX_LINK_WARNINGS, decode_query, summarize_warnings


def test_2400_unknown_features_become_one_warning():
    names = ",".join(f"f{i}" for i in range(2400))
    config, warnings = decode_query({"feat": names[: url.MAX_PARAM_LENGTH]})
    feature_warnings = [w for w in warnings if "unknown feature" in w]
    assert len(feature_warnings) == 1
    assert "more like it" in feature_warnings[0]
    assert len(warnings) <= MAX_LINK_WARNINGS


def test_2400_unknown_parameters_are_cut_with_a_message():
    params = {f"zz{i}": "1" for i in range(2400)}
    _, warnings = decode_query(params)
    assert warnings[0].startswith("This link is too long (2,400 parameters); only its first 60 were read.")
    assert "(and 59 more like it)" in warnings[1]
    assert len(warnings) == 2


def test_different_problems_stay_separate_and_are_capped():
    distinct = [f"field{chr(97 + i)}: is wrong." for i in range(20)]
    lines = summarize_warnings(distinct)
    assert lines[:11] == distinct[:11]
    assert lines[-1] == "… and 9 more kinds of problem in this link."
    assert len(lines) == MAX_LINK_WARNINGS


def test_a_clean_link_has_no_warnings():
    assert decode_query({"ds": "moons", "lr": "0.03"})[1] == []
