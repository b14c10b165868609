"""An example deliverer: POSTs each batch as JSON to a URL, with an ``Idempotency-Key`` header.

Body::

    {"broadcast": {"id", "name", "message", "segment"}, "run": {"id", "number"},
     "deliveries": [{"customer_id": 17, "idempotency_key": "5:17"}, ...]}

The header is the same for the same run and customers, so a batch offered again after a crash
(at most the one in flight) carries the key it had. Connection errors, 429 and 5xx answers are
retried with exponential backoff (tenacity); any other non-2xx answer fails the batch. Error
messages show the URL with its password and query values masked (:mod:`segdsl.store.urls`).
"""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

from segdsl.families.hookspecs import hookimpl
from segdsl.store.records import Broadcast, Delivery, Run
from segdsl.store.urls import redact_http_url, scrub


class WebhookError(Exception):
    """The endpoint refused a batch (after retries)."""


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):
        return True
    return isinstance(exc, httpx.HTTPStatusError) and (
        exc.response.status_code == 429 or exc.response.status_code >= 500
    )


def batch_key(run: Run, batch: list[Delivery]) -> str:
    """The batch's idempotency key: a digest of the run id and its customer ids."""
    digest = hashlib.sha256(f"{run.id}:".encode() + ",".join(str(d.customer_id) for d in batch).encode())
    return f"segdsl-{run.id}-{digest.hexdigest()[:32]}"


class WebhookDeliverer:
    """POST batches to ``url``; ``attempts`` tries per batch, ``timeout`` seconds per request."""

    def __init__(self, url: str, timeout: float = 10.0, attempts: int = 5, backoff: float = 0.5) -> None:
        self.url = url
        self.client = httpx.Client(timeout=timeout)
        self._post = retry(
            retry=retry_if_exception(_retryable),
            stop=stop_after_attempt(attempts),
            wait=wait_exponential(multiplier=backoff, max=30),
            reraise=True,
        )(self._post_once)

    def _post_once(self, body: dict[str, Any], key: str) -> None:
        response = self.client.post(self.url, json=body, headers={"Idempotency-Key": key})
        response.raise_for_status()

    @hookimpl
    def segdsl_deliver(self, broadcast: Broadcast, run: Run, batch: list[Delivery]) -> None:
        body = {
            "broadcast": {"id": broadcast.id, "name": broadcast.name, "message": broadcast.message,
                          "segment": broadcast.segment},
            "run": {"id": run.id, "number": run.number},
            "deliveries": [{"customer_id": d.customer_id, "idempotency_key": d.idempotency_key} for d in batch],
        }
        try:
            self._post(body, batch_key(run, batch))
        except httpx.HTTPStatusError as exc:
            raise WebhookError(f"{redact_http_url(self.url)} answered {exc.response.status_code}") from None
        except httpx.TransportError as exc:
            text = " ".join(str(exc).split()) or type(exc).__name__
            raise WebhookError(scrub(f"{redact_http_url(self.url)}: {text}", self.url)) from None

    def close(self) -> None:
        self.client.close()
