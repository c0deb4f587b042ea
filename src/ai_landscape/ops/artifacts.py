"""The validation gate's outcome as Prefect artifacts, shown in the UI beside the run."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from prefect.artifacts import create_markdown_artifact, create_table_artifact

if TYPE_CHECKING:
    from ai_landscape.validate.gate import GateResult


def create_validation_artifacts(result: GateResult, docs: str | os.PathLike | None = None) -> None:
    """Markdown summary + table of failures as Prefect artifacts; call inside a flow or task."""
    from ai_landscape.validate.docs import ARTIFACT_KEY, failures_table, markdown_summary

    create_markdown_artifact(
        markdown_summary(result, docs), key=ARTIFACT_KEY, description="Validation gate"
    )
    rows = failures_table(result)
    if rows:
        create_table_artifact(
            rows, key=f"{ARTIFACT_KEY}-failures", description="Failed expectations"
        )
