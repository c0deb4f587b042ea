"""Integer codes that sort as the values do, for grouping and ordering on integers.

Resolution groups and orders hundreds of thousands of records by model id. Sorting and hashing
the id strings at each step grew 14-25x from 10 to 100 times the replay (#17): pandas sorts
an object array by Python comparisons and hashes each string again for every group-by. The
values are numbered once here, by Arrow's sort (UTF-8 byte order, which is Python's code point
order), and the steps then work on integers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques): each value's position among the distinct values sorted ascending, and
    those values (`uniques[codes]` gives the values back): what
    `pd.factorize(values, sort=True)` gives for text without nulls."""
    objects = values.to_numpy(dtype=object)
    array = pa.array(objects, type=pa.large_string())
    if array.null_count:
        raise ValueError("sorted_codes: null values have no code")
    ranks = pc.rank(array, sort_keys="ascending", tiebreaker="dense").to_numpy()
    codes = ranks.astype(np.int64) - 1
    uniques = np.empty(int(codes.max(initial=-1)) + 1, dtype=object)
    uniques[codes] = objects
    return codes, uniques
