"""Database URLs in messages: passwords never printed.

Every message and log line that shows a ``--db`` or ``--store`` URL goes
through :func:`redact_url`; driver messages that may quote parts of the URL go
through :func:`scrub`. Parsing is SQLAlchemy's ``make_url`` (RFC 1738 URLs),
not segdsl's own.

>>> redact_url("postgresql://ana:s3cret@db:5432/shop?sslpassword=k3y&sslmode=require")
'postgresql://ana:***@db:5432/shop?sslmode=require&sslpassword=***'
>>> redact_url("sqlite:///shop.db")
'sqlite:///shop.db'
>>> scrub("FATAL: bad password s3cret", "postgresql://ana:s3cret@db/shop")
'FATAL: bad password ***'
"""

from __future__ import annotations

import urllib.parse

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

MASK = "***"
#: query-string keys whose values are secrets (compared case-insensitively)
SECRET_KEYS = frozenset({
    "password", "passwd", "pass", "pwd", "secret", "token", "access_token", "auth_token", "api_key", "apikey",
    "sslpassword", "sslkey", "key", "private_key", "credentials",
})  # fmt: skip


def _secret_key(key: str) -> bool:
    low = key.lower()
    return low in SECRET_KEYS or low.endswith(("password", "secret", "token"))


def secrets_in(url: str) -> tuple[str, ...]:
    """The secret strings in ``url`` (the password, secret query values), raw and percent-decoded."""
    found: set[str] = set()
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        parsed = None
    if parsed is not None:
        if parsed.password:
            found.add(str(parsed.password))
        for key, value in parsed.query.items():
            if _secret_key(key):
                found.update(value if isinstance(value, tuple) else (value,))
    # the raw spellings too (a driver may echo the URL undecoded)
    for text in list(found):
        found.add(urllib.parse.quote(text, safe=""))
        found.add(urllib.parse.quote_plus(text, safe=""))
    return tuple(sorted((s for s in found if s), key=len, reverse=True))


def redact_url(url: str | None) -> str:
    """``url`` fit to print: the password and secret query values replaced by ``***``.

    An URL that cannot be parsed shows only its scheme (it may hold a secret
    in a place the parser did not find), unless it has neither ``:`` nor ``@``
    (a bare file name given where a URL belongs), which is shown as written.
    """
    if not url:
        return ""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError, TypeError):
        if ":" not in url and "@" not in url:  # a bare name such as `segdsl.db`: no room for a secret
            return url
        scheme = url.split("://", 1)[0] if "://" in url else ""
        return f"{scheme}://{MASK}" if scheme and scheme.isascii() and scheme.replace("+", "").isalnum() else MASK
    secret_query = {k: MASK for k in parsed.query if _secret_key(k)}
    if not parsed.password and not secret_query:
        return url  # nothing to hide: show it as the user wrote it
    if secret_query:
        parsed = parsed.update_query_dict(secret_query)
    # the URL renderer percent-encodes the mask in the query string
    return parsed.render_as_string(hide_password=True).replace(urllib.parse.quote(MASK, safe=""), MASK)


def scrub(message: str, url: str | None) -> str:
    """``message`` with every secret of ``url`` replaced by ``***``."""
    if not url:
        return message
    for secret in secrets_in(url):
        message = message.replace(secret, MASK)
    return message
