"""A DuckDB connection that can only read the tables it was given.

`landscape query` runs SQL a person typed, maybe pasted from elsewhere. DuckDB would let that
SQL write files (`COPY ... TO` over a published part), read any file (`read_csv('/etc/passwd')`),
attach databases and download extensions. Three locks, each enough for part of it:

- only SELECT-like statements are accepted (parsed by DuckDB itself, so comments and string
  literals cannot hide a second statement);
- `enable_external_access = false`: no file, no URL, no ATTACH of a file, no INSTALL/LOAD;
- `lock_configuration = true`: no `SET` can turn the above back on.
"""

from __future__ import annotations

import duckdb

# DuckDB statement types a read-only query may consist of.
READ_ONLY_STATEMENTS = frozenset({"SELECT", "EXPLAIN"})


class ReadOnlyViolation(duckdb.Error):
    """The SQL asks for something other than reading the snapshot's tables."""


def check_read_only(sql: str) -> None:
    """Refuse SQL holding any statement that is not a SELECT (or EXPLAIN of one)."""
    statements = duckdb.extract_statements(sql)
    if not statements:
        raise ReadOnlyViolation("no SQL statement given")
    for statement in statements:
        kind = statement.type.name
        if kind not in READ_ONLY_STATEMENTS:
            raise ReadOnlyViolation(
                f"landscape query only reads: a {kind} statement is not allowed "
                f"({statement.query.strip()[:60]!r})"
            )


def sandboxed_connection() -> duckdb.DuckDBPyConnection:
    """In memory, nothing auto-installed or auto-loaded; tables are registered next."""
    return duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """After registering the tables: no external access, and no way to turn it back on."""
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
