"""Deployment entry point (`prefect.yaml`): the flow itself lives in `ai_landscape.flow`.

`LANDSCAPE_TASK_RUNNER=dask` in a deployment's environment runs its per-dataset tasks on a
Dask cluster (docs/operating.md); the default is threads in the flow's process.
"""

from ai_landscape import settings
from ai_landscape.flow import refresh_landscape as _flow
from ai_landscape.ops.runners import make_task_runner

refresh_landscape = _flow.with_options(task_runner=make_task_runner(settings.current().task_runner))

if __name__ == "__main__":
    from ai_landscape.pipeline.early import start_run_worker

    start_run_worker()  # as `landscape run` does: its imports while Prefect starts
    refresh_landscape(mode="replay")
