"""Deployment entry point (`prefect.yaml`): the flow itself lives in `ai_landscape.flow`."""

from ai_landscape.flow import refresh_landscape

if __name__ == "__main__":
    refresh_landscape(mode="replay")
