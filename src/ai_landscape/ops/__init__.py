"""Running the pipeline as a service: deployments, concurrency, notifications, task runners.

Nothing here changes what a run computes; it decides where and how runs execute, that two
runs never publish into one warehouse at once, and who hears about a failure.
"""
