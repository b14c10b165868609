"""Webhook URLs in the store's messages and records: password and query values masked.

Webhook URLs are parsed with ``httpx.URL``: the password and *every* query value become ``***`` (a
webhook's query string is where tokens usually travel, under any key name). Database URLs
(``--db``, ``--store``) go through :mod:`segdsl.data.urls`, like every other command's.

>>> redact_http_url("http://user:hunter2@host/send?token=abc&x=")
'http://user:***@host/send?token=***&x='
>>> scrub("POST failed: hunter2 refused", "http://user:hunter2@host/send")
'POST failed: *** refused'
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

MASK = "***"


def http_url(url: str) -> httpx.URL | None:
    """``url`` parsed by httpx (imported here: a send that needs no webhook never loads httpx,
    about 5 MB), or None when it is no URL."""
    import httpx

    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None


def redact_http_url(url: str) -> str:
    """A webhook URL fit to print or store: the password and every non-empty query value masked.

    A URL httpx cannot parse shows as ``***``. Secrets in the path are not recognised.
    """
    parsed = http_url(url)
    if parsed is None:
        return MASK
    pairs = parsed.params.multi_items()
    if not parsed.password and not any(v for _, v in pairs):
        return url
    changes: dict[str, object] = {}
    if parsed.password:
        changes.update(username=parsed.username, password=MASK)
    if pairs:
        changes["query"] = urllib.parse.urlencode([(k, MASK if v else v) for k, v in pairs], safe="*").encode()
    return str(parsed.copy_with(**changes))


#: shorter secrets are not scrubbed from free text (a value like ``1`` would mangle the message)
SCRUB_MIN = 4


def http_secrets(url: str) -> tuple[str, ...]:
    """The secrets :func:`redact_http_url` masks (password, query values) of at least
    :data:`SCRUB_MIN` characters, raw and percent-encoded, longest first."""
    parsed = http_url(url)
    if parsed is None:
        return ()
    found = {parsed.password or ""} | {v for _, v in parsed.params.multi_items()}
    found |= {urllib.parse.quote(s, safe="") for s in found} | {urllib.parse.quote_plus(s) for s in found}
    return tuple(sorted((s for s in found if len(s) >= SCRUB_MIN), key=len, reverse=True))


def scrub(message: str, url: str) -> str:
    """``message`` (an HTTP client's error, say) with webhook ``url`` shown redacted and its
    secrets replaced by ``***``."""
    message = message.replace(url, redact_http_url(url))
    for secret in http_secrets(url):
        message = message.replace(secret, MASK)
    return message
