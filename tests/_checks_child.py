"""Validate the real Epoch records and tables through a run's worker, in a process of its own,
and say whether this process imported Great Expectations (it should not: the worker did)."""

import json
import sys
from pathlib import Path

from ai_landscape.pipeline.checks import check_records, validate_tables
from ai_landscape.pipeline.worker import RunWorker
from tests.gate_frames import RUN
from tests.pipeline.test_checks import epoch_results, previous_manifest
from tests.real_frames import replay_tables

if __name__ == "__main__":
    results = epoch_results()
    with RunWorker() as worker:
        records = check_records(results, previous_manifest(), (), worker.submit)
        checked = validate_tables(
            replay_tables(),
            results,
            previous_manifest(),
            RUN,
            Path(sys.argv[1]),
            records_checked=records,
            submit=worker.submit,
        )
    print(
        json.dumps(
            {
                "gx_imported": any(m.split(".")[0] == "great_expectations" for m in sys.modules),
                "rows": checked.summary["rows"],
                "reports": len(checked.reports),
            }
        )
    )
