"""Delivers events to webhooks: JSON POSTs with a Slack-compatible `text`, retried on 5xx,
429, timeouts and connection errors with exponential backoff. A 4xx other than 429 is final.

Body: {"text": "<title>", "event": {id, kind, created_unix_nanos, severity, title, details}}.
An event is marked delivered (1) or failed (2) once every webhook it goes to has answered or
run out of retries. Logs carry event ids, kinds and HTTP status codes, never the URL's secret.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

from sensor_console.db import Connection, DatabaseErrors
from sensor_console.metrics import ConsoleMetrics
from sensor_console.settings import WebhookSettings
from sensor_console.storage import Store
from sensor_console.summaries import event_json
from sensor_core.logs import get_logger

log = get_logger("sensor_console.webhooks")

BATCH = 100
POLL_SECONDS = 2.0


class WebhookDispatcher:
    def __init__(
        self, store: Store, hooks: Sequence[WebhookSettings], metrics: ConsoleMetrics
    ) -> None:
        self._store = store
        self._hooks = list(hooks)
        self._metrics = metrics
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not self._hooks:
            return
        self._thread = threading.Thread(target=self._run, name="console-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._store.events_raised.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._store.events_raised.wait(POLL_SECONDS)
            self._store.events_raised.clear()
            try:
                while not self._stop.is_set() and self.deliver_pending():
                    pass
            except DatabaseErrors as exc:
                log.error("webhook_read_failed", error=type(exc).__name__)

    def deliver_pending(self) -> int:
        """Deliver up to BATCH undelivered events; returns how many were handled."""
        rows = self._store.read(
            lambda c: [
                event_json(r)
                for r in c.execute(
                    "SELECT * FROM events WHERE delivered = 0 ORDER BY id LIMIT ?", (BATCH,)
                ).fetchall()
            ]
        )
        for event in rows:
            ok = all(
                self._post(i, hook, event)
                for i, hook in enumerate(self._hooks)
                if not hook.kinds or event["kind"] in hook.kinds
            )
            self._mark(int(event["id"]), 1 if ok else 2)
            if self._stop.is_set():
                break
        return len(rows)

    def _mark(self, event_id: int, state: int) -> None:
        def work(conn: Connection) -> None:
            conn.execute("UPDATE events SET delivered = ? WHERE id = ?", (state, event_id))

        self._store.write(work)

    def _post(self, index: int, hook: WebhookSettings, event: dict[str, Any]) -> bool:
        body = json.dumps({"text": event["title"], "event": event}).encode()
        delay = hook.backoff
        for attempt in range(hook.retries + 1):
            if attempt:
                if self._stop.wait(delay):
                    return False
                delay = min(delay * 2, 60.0)
            request = urllib.request.Request(  # noqa: S310 - http(s) checked in settings
                hook.url,
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "User-Agent": "dsensor-console"},
            )
            try:
                with urllib.request.urlopen(request, timeout=hook.timeout) as resp:  # noqa: S310
                    resp.read(1024)
                    self._metrics.webhooks.labels("delivered").inc()
                    log.info("webhook_delivered", webhook=index, event_id=event["id"])
                    return True
            except urllib.error.HTTPError as err:
                status = err.code
                err.close()
                if status < 500 and status != 429:
                    self._metrics.webhooks.labels("rejected").inc()
                    log.warning("webhook_rejected", webhook=index, status=status)
                    return False
                reason = f"http_{status}"
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = type(exc).__name__
            self._metrics.webhooks.labels("retry").inc()
            log.warning("webhook_retry", webhook=index, attempt=attempt + 1, reason=reason)
        self._metrics.webhooks.labels("failed").inc()
        log.error("webhook_failed", webhook=index, event_id=event["id"])
        return False
