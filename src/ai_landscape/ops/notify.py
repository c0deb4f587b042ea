"""Tell someone when a scheduled refresh fails.

A daily run that fails at 06:00 is only useful if a person hears of it. `notify_failure` is a
Prefect `on_failure` hook: it writes one summary (which run, its parameters, why it failed,
the errors the run collected) to the run's log, and, when `LANDSCAPE_NOTIFY_URL` is set,
sends the same text through apprise (a Prefect dependency), which speaks Slack, Teams,
e-mail, ntfy, plain JSON webhooks and ~100 more: `LANDSCAPE_NOTIFY_URL=slack://T/B/C`, or
several URLs separated by commas. A notification that cannot be sent is logged, never
raised: it must not hide the failure it reports.
"""

from __future__ import annotations

import logging
from typing import Any

from ai_landscape import settings
from ai_landscape.settings import NOTIFY_ENV

log = logging.getLogger(__name__)


def failure_summary(flow_name: str, flow_run: Any, state: Any, error: BaseException | None) -> str:
    """The text of the log entry and of the notification, errors one per line."""
    parameters = dict(getattr(flow_run, "parameters", None) or {})
    lines = [
        f"{flow_name} run {flow_run.name!r} failed ({flow_run.id})",
        "parameters: "
        + ", ".join(f"{k}={parameters.get(k)!r}" for k in ("mode", "sources", "warehouse")),
    ]
    summary = getattr(error, "summary", None)
    if summary is not None:  # a RunFailed: the run's own account of what went wrong
        lines.append(f"why: {error.why}")
        lines += [f"error: {e}" for e in summary.errors]
    elif error is not None:
        lines.append(f"why: {type(error).__name__}: {error}")
    else:
        lines.append(f"why: {state.message}")
    ui = settings.current().prefect_ui_url
    if ui:
        lines.append(f"run: {ui.rstrip('/')}/runs/flow-run/{flow_run.id}")
    return "\n".join(lines)


def notify_failure(flow: Any, flow_run: Any, state: Any) -> None:
    """`@flow(on_failure=[notify_failure])`."""
    text = failure_summary(flow.name, flow_run, state, _exception_of(state))
    _run_logger(flow, flow_run).error("%s", text)
    urls = settings.current().notify_urls
    if urls:
        send(urls, title=text.splitlines()[0], body=text)


def send(urls: str, *, title: str, body: str) -> bool:
    """Post through apprise; False (and a warning) when no URL is valid or a post fails.
    URLs may hold tokens, so only their schemes are ever logged."""
    import apprise

    notifier = apprise.Apprise()
    if not notifier.add(urls):
        log.warning("%s holds no notification URL apprise understands", NOTIFY_ENV)
        return False
    sent = notifier.notify(title=title, body=body, notify_type=apprise.NotifyType.FAILURE)
    if not sent:
        schemes = sorted({s.split("://", 1)[0] for s in urls.replace(",", " ").split()})
        log.warning("failure notification via %s was not delivered", ", ".join(schemes))
    return bool(sent)


def _exception_of(state: Any) -> BaseException | None:
    try:
        result = state.result(raise_on_failure=False)
    except Exception:  # the result may be unreadable (not persisted); the message remains
        return None
    return result if isinstance(result, BaseException) else None


def _run_logger(flow: Any, flow_run: Any) -> logging.Logger | logging.LoggerAdapter:
    try:
        from prefect.logging.loggers import flow_run_logger

        return flow_run_logger(flow_run, flow)
    except Exception:
        return log
