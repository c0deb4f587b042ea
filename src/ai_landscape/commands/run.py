"""What `landscape run` prints: the snapshot, each source's status, the tables, the changes."""

from __future__ import annotations

from ai_landscape.pipeline.run import RunSummary
from ai_landscape.report.run_figures import figure_lines


def summary_lines(summary: RunSummary) -> list[tuple[str, bool]]:
    """(line, to standard error) pairs, in the order they are printed."""
    lines: list[tuple[str, bool]] = []
    if summary.status == "published":
        lines.append((f"published snapshot {summary.snapshot_id}", False))
    elif summary.status == "unchanged":
        lines.append(
            (
                f"nothing changed: latest snapshot {summary.latest_id} already holds this data",
                False,
            )
        )
    for key, info in summary.sources.items():
        if info.get("status") == "skipped":
            continue
        line = f"  source {key}: {info['status']}"
        if "records" in info:
            line += f", {info['records']} records"
        if info["status"] == "stale":
            line += f" carried over from {info['stale_since']}"
        if "error" in info:
            line += f" ({info['error']})"
        lines.append((line, False))
    lines += [(f"  {table}: {rows} rows", False) for table, rows in summary.rows.items()]
    lines += [(f"  error: {error}", True) for error in summary.errors]
    lines += [(f"  {kind}: {len(ids)}", False) for kind, ids in summary.changes.items()]
    lines += [(f"  {line}", False) for line in figure_lines(summary.fidelity)]
    if summary.report:
        lines.append((f"  report: {summary.report}", False))
    timing = ", ".join(f"{stage} {secs:.2f}s" for stage, secs in summary.seconds.items())
    lines.append((f"  stages: {timing}", False))
    lines.append((f"  warehouse: {summary.warehouse}", False))
    return lines
