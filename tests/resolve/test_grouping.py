"""`sorted_codes` numbers values as `pd.factorize(..., sort=True)` does, on the real replay
candidates' ids (which resolution and merging group and order by)."""

import numpy as np
import pandas as pd
import pytest

from ai_landscape.resolve.grouping import sorted_codes
from tests.resolve.test_links import all_candidates


@pytest.mark.parametrize("field", ["model_id", "source_key", "name"])
def test_sorted_codes_are_pandas_sorted_factorization(field):
    values = all_candidates()[field].dropna().astype(object)
    codes, uniques = sorted_codes(values)
    expected_codes, expected_uniques = pd.factorize(values, sort=True)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques.tolist() == list(expected_uniques)
    assert (uniques[codes] == values.to_numpy()).all()


def test_sorted_codes_order_text_by_code_point_as_python_does():
    values = pd.Series(["b", "B", "é", "a-b", "a", "ab", "a", "Z", "中", "e\u0301"], dtype=object)
    codes, uniques = sorted_codes(values)
    assert uniques.tolist() == sorted(set(values))
    # Capitals before lower case, `e` + a combining accent before the precomposed `é`.
    assert uniques.tolist() == ["B", "Z", "a", "a-b", "ab", "b", "e\u0301", "é", "中"]
    assert codes.tolist() == [5, 0, 7, 3, 2, 4, 2, 1, 8, 6]


def test_sorted_codes_of_nothing_and_of_a_null():
    codes, uniques = sorted_codes(pd.Series([], dtype=object))
    assert codes.dtype == np.int64
    assert len(codes) == 0
    assert len(uniques) == 0
    with pytest.raises(ValueError, match="null values have no code"):
        sorted_codes(pd.Series(["a", None], dtype=object))
