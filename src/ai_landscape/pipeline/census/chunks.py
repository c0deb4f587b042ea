"""One batch of stored census pages -> one parquet part of normalized `hub_repos` rows.

The unit of parallel work: it reads the pages' bytes from the raw zone by locator and writes
its part beside the others, so it can run in this process, the run's worker process (the
default, pipeline/worker.py), a Dask worker or another machine that mounts the same storage;
what it returns is a few numbers, never the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ai_landscape.normalize.hub_repos import normalize_pages
from ai_landscape.sources.base import SourceSchemaError
from ai_landscape.sources.huggingface.census_fetch import CensusPage
from ai_landscape.sources.huggingface.census_parse import parse_page

ORDER = "_order"  # page number * ORDER_STRIDE + row: the listing's order, for de-duplication
ORDER_STRIDE = 1_000_000


@dataclass(frozen=True)
class ChunkResult:
    path: str
    rows: int
    first_page: int


class CensusPageError(SourceSchemaError):
    """A stored page does not parse; `number` says which, so the cursor can be rewound."""

    def __init__(self, number: int, message: str):
        super().__init__(message)
        self.number = number

    def __reduce__(self):
        """Raised in a worker process, it reaches the census pickled: with its page number."""
        return type(self), (self.number, str(self))


def process_chunk(warehouse: str, pages: list[CensusPage], out: str) -> ChunkResult:
    tables, locators, order = [], [], []
    for page in pages:
        body = (Path(warehouse) / page.locator).read_bytes()
        try:
            table = parse_page(body, page.url)
        except SourceSchemaError as exc:
            raise CensusPageError(page.number, str(exc)) from exc
        tables.append(table)
        locators.append(pa.array([page.locator] * table.num_rows, pa.string()))
        base = page.number * ORDER_STRIDE
        order.append(pa.array(range(base, base + table.num_rows), pa.int64()))
    parsed = pa.concat_tables(tables)
    rows = normalize_pages(parsed, pa.concat_arrays(locators))
    rows = rows.append_column(ORDER, pa.concat_arrays(order))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(rows, out, compression="zstd")
    return ChunkResult(out, rows.num_rows, pages[0].number)
