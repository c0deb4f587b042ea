"""Counts written as text: every supported shape parses back, real notes give exact values."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ai_landscape.normalize.numbers import to_float
from ai_landscape.normalize.quantities import (
    active_parameters,
    parse_compute,
    parse_number,
    parse_parameters,
    parse_series,
    parse_tokens,
)
from tests.replay_values import parameter_cells, replay_frames

TOLERANCE = 1e-3  # the 0.1%
counts = st.floats(min_value=1e3, max_value=1e27, allow_nan=False, allow_infinity=False)
SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K"))
WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


def _scaled(x: float, units: tuple[tuple[float, str], ...]) -> tuple[float, str]:
    """The largest unit that keeps the mantissa at 1 or more (capped at the largest unit)."""
    return next(((s, u) for s, u in units if x >= s), units[-1])


def _close(parsed: float | None, x: float) -> bool:
    return parsed is not None and math.isclose(parsed, x, rel_tol=TOLERANCE)


@given(counts)
def test_suffix_shape(x):  # 671B, 1.8T, 7.24M
    scale, unit = _scaled(x, SUFFIXES)
    assert _close(parse_number(f"{x / scale:.5g}{unit}").value, x)
    assert _close(parse_parameters(f"{x / scale:.5g}{unit.lower()}").parameters, x)


@given(counts)
def test_word_shape(x):  # 7.24 billion
    scale, word = _scaled(x, WORDS)
    assert _close(parse_number(f"{x / scale:.5g} {word}").value, x)


@given(counts)
def test_exponent_shapes(x):  # 3.8e25, 3.8E+25, 3.8×10^25, 3.8 x 10^25, 3.8·10²⁵, ~2e24 FLOP
    exponent = math.floor(math.log10(x))
    mantissa = f"{x / 10**exponent:.5f}"
    superscript = str(exponent).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    for text in (
        f"{x:.6e}",
        f"{x:.6E}",
        f"{mantissa}×10^{exponent}",
        f"{mantissa} x 10^{exponent}",
        f"{mantissa}·10{superscript}",
        f"~{x:.4e} FLOP",
        f"≈{x:.4e} FLOPs",
    ):
        assert _close(parse_compute(text).value, x), text


@given(st.integers(min_value=3, max_value=30))
def test_power_of_ten_shape(k):  # 10^23
    assert parse_compute(f"10^{k}").value == float(f"1e{k}")


@given(counts)
def test_epoch_float_strings_and_plain_counts(x):  # 247000000.00000003, 110106428, 1,000,000
    assert _close(parse_number(repr(x)).value, x)
    assert _close(parse_number(f"{x:,.0f}").value, x)
    assert _close(parse_number(f"{x:.1f}").value, x)


@given(st.floats(min_value=1e4, max_value=1e14))
def test_chinese_units(x):  # 1750亿, 1.5万亿, 3万
    assert _close(parse_number(f"{x / 1e8:.6g}亿").value, x)
    if x >= 1e12:
        assert _close(parse_number(f"{x / 1e12:.6g}万亿").value, x)
    assert _close(parse_number(f"{x / 1e4:.6g}万").value, x)


@given(counts)
def test_tokens_shape(x):  # 15T tokens
    scale, unit = _scaled(x, SUFFIXES)
    assert _close(parse_tokens(f"{x / scale:.5g}{unit} tokens").value, x)


@given(st.floats(min_value=1e8, max_value=2e12), st.floats(min_value=0.01, max_value=0.9))
def test_total_and_active_shapes(total, share):
    active = total * share
    t, a = f"{total / 1e9:.5g}", f"{active / 1e9:.5g}"
    for text in (
        f"{a}B active parameters out of {t}B total",
        f"{t}B total, {a}B active",
        f"{a}B active/{t}B total",
        f"MoE\ntotal parameters: {t}B\nactive parameters: {a}B",
        f"a total of {t}B parameters and {a} billion active parameters",
    ):
        found = parse_parameters(text)
        assert _close(found.parameters, total), text
        assert _close(found.active_parameters, active), text


@pytest.mark.parametrize(
    ("text", "total", "active", "rule"),
    [
        ("671B", 671e9, None, "one number"),
        ("1.8T", 1.8e12, None, "one number"),
        ("7.24 billion", 7.24e9, None, "one number"),
        ("13B active parameters out of 284B total", 284e9, 13e9, "labelled total; labelled active"),
        ("284B total, 13B active", 284e9, 13e9, "labelled total; labelled active"),
        ("Qwen3-235B-A22B", 235e9, 22e9, "model name `<total>B-A<active>B`"),
        ("1750亿", 175e9, None, "one number"),
        # real Epoch `Parameters notes`
        ("106B parameters, 12B active", 106e9, 12e9, "the one unlabelled count; labelled active"),
        (
            '"Phi-3.5-MoE has 16x3.8B parameters with 6.6B active parameters when using 2 experts.',
            None,
            6.6e9,
            "labelled active",
        ),
        (
            "Can't get an exact estimate, but we suspect total parameter count around 60B-120B, "
            "active parameters around 10B-30B.",
            None,
            None,
            "no count found",
        ),
        (
            '"a 480B-parameter Mixture-of-Experts model with 35B active parameters which '
            'supports the context length of 256K tokens natively and 1M tokens"',
            480e9,
            35e9,
            "the one unlabelled count; labelled active",
        ),
        ("Parameters: 24*6 + 12*6 + 12*12 + 12*6 =432", None, None, "no count found"),
    ],
)
def test_parameter_shapes(text, total, active, rule):
    assert parse_parameters(text) == (total, active, rule)


@pytest.mark.parametrize(
    ("text", "flop", "rule"),
    [
        ("3.8e25", 3.8e25, "one number"),
        ("3.8×10^25", 3.8e25, "one number"),
        ("~2e24 FLOP", 2e24, "first number labelled flop"),
        ("10^23", 1e23, "one number"),
        ("3640 petaflop/s-days", 3640 * 8.64e19, "one number"),
        # real Epoch `Training compute notes` (DeepSeek-V3, Llama 3.1-405B)
        (
            "6 × 37B × 14.8T = 3.29e24 pretraining FLOPs, 1e22 posttrainining FLOPs - see doc",
            3.29e24,
            "result of a formula (`= …`)",
        ),
        ("Also, 6 * 405B * 15.6T training tokens = 3.8e25", 3.8e25, "result of a formula (`= …`)"),
        ("Stated in paper.", None, "no number found"),
    ],
)
def test_compute_shapes(text, flop, rule):
    assert parse_compute(text) == (pytest.approx(flop) if flop else None, rule)


def test_epoch_parameters_column_parses_exactly_as_the_epoch_normalizer_reads_it():
    cells = parameter_cells()
    epoch = cells[(cells["source"] == "epoch") & (cells["field"] == "Parameters")]["text"]
    assert len(epoch) == 1144
    ours = parse_series(epoch, parse_parameters)["parameters"]
    theirs, invalid = to_float(epoch)
    assert not invalid.any()
    pd.testing.assert_series_equal(ours, theirs, check_names=False)


def test_active_parameters_from_real_epoch_notes():
    records, candidates = replay_frames("epoch")["notable"]
    active = active_parameters(records["Parameters notes"], candidates["parameters"])
    assert active.notna().sum() == 38
    total = candidates["parameters"]
    assert (active[total.notna()].dropna() < total[active.notna()].dropna()).all()
    assert records["Model"][active.notna() & total.isna()].tolist() == ["Seed1.5-VL"]
    by_model = pd.Series(active.to_numpy(), index=records["Model"])
    assert by_model["DeepSeek-V3"] == 37e9
    assert by_model["DBRX"] == 36e9
    assert by_model["Llama 4 Maverick"] == 17e9
    assert by_model["Jamba 1.5-Large"] == 94e9
    assert math.isnan(by_model["Llama 3.1-405B"])


def test_parse_series_maps_distinct_values_and_keeps_nulls():
    values = pd.Series(["671B", None, "671B", "", "1.0920000000001e+23"], index=[5, 6, 7, 8, 9])
    found = parse_series(values, parse_number)
    assert list(found.index) == [5, 6, 7, 8, 9]
    assert found["value"].tolist()[0::2] == [671e9, 671e9, 1.092e23]  # spreadsheet noise tidied
    assert found["value"].isna().tolist() == [False, True, False, True, False]
    assert found["rule"].tolist()[1] == "no number found"  # what "" gives


def test_a_token_count_is_not_compute():
    """`15T tokens` is a dataset size (issue 12: it read as 1.5e13 FLOP)."""
    from ai_landscape.normalize.quantities import Count, parse_compute, parse_tokens

    assert parse_compute("15T tokens") == Count(
        None, "a count of tokens, not FLOP of training compute: not read as one"
    )
    assert parse_compute("405B parameters") == Count(
        None, "a count of parameters, not FLOP of training compute: not read as one"
    )
    assert parse_tokens("3.8e25 FLOP") == Count(
        None, "a count of flop, not tokens: not read as one"
    )
    assert parse_tokens("15T tokens") == Count(15e12, "first number labelled token")
    assert parse_compute("6 × 405B × 15.6T tokens = 3.8e25").value == 3.8e25
