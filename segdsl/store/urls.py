"""URLs in the store's messages and records: passwords and secrets masked, parsed by libraries.

Database URLs (``--db``, ``--store``) are parsed with SQLAlchemy's ``make_url``: the password and
the values of secret-looking query keys (``sslpassword``, ``token``, …) become ``***``. Webhook
URLs are parsed with ``httpx.URL``: the password and *every* query value become ``***`` (a
webhook's query string is where tokens usually travel, under any key name).

>>> redact_db_url("postgresql://ana:s3cret@db:5432/shop")
'postgresql://ana:***@db:5432/shop'
>>> redact_http_url("http://user:hunter2@host/send?token=abc&x=")
'http://user:***@host/send?token=***&x='
>>> scrub("POST failed: hunter2 refused", "http://user:hunter2@host/send")
'POST failed: *** refused'
"""

from __future__ import annotations

import urllib.parse

import httpx
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

MASK = "***"
#: query-string keys of database URLs whose values are secrets (compared case-insensitively)
SECRET_KEYS = frozenset({"password", "passwd", "pass", "pwd", "secret", "token", "access_token", "api_key",
                         "apikey", "sslpassword", "sslkey", "key", "private_key", "credentials"})


def _secret_key(key: str) -> bool:
    low = key.lower()
    return low in SECRET_KEYS or low.endswith(("password", "secret", "token"))


def redact_db_url(url: str) -> str:
    """A database URL fit to print: the password and secret query values masked.

    A URL the parser refuses shows only its scheme (a secret may sit where it did not look).
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        scheme = url.partition("://")[0] if "://" in url else ""
        return f"{scheme}://{MASK}" if scheme.replace("+", "").isalnum() else MASK
    secret_query = {k: MASK for k in parsed.query if _secret_key(k)}
    if not parsed.password and not secret_query:
        return url  # nothing to hide: as the user wrote it
    if secret_query:
        parsed = parsed.update_query_dict(secret_query)
    return parsed.render_as_string(hide_password=True).replace(urllib.parse.quote(MASK, safe=""), MASK)


def _http(url: str) -> httpx.URL | None:
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return None


def redact_http_url(url: str) -> str:
    """A webhook URL fit to print or store: the password and every non-empty query value masked.

    A URL httpx cannot parse shows as ``***``. Secrets in the path are not recognised.
    """
    parsed = _http(url)
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
    parsed = _http(url)
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


def scrub_db(message: str, url: str) -> str:
    """``message`` (a driver's error) with the password of database ``url`` replaced by ``***``."""
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError, TypeError):
        return message
    if password and len(str(password)) >= SCRUB_MIN:
        for spelling in {str(password), urllib.parse.quote(str(password), safe="")}:
            message = message.replace(spelling, MASK)
    return message
