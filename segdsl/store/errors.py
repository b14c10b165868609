"""The store's errors: one base class, one subclass per thing a caller may want to catch.

Every message is one line, fit to show to a user as is (the CLI prints it after ``error:``).
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every store error."""

    #: the CLI's exit code: 1 a failure, 2 a usage error
    exit_code = 1


class StoreUnavailable(StoreError):
    """The store's database cannot be opened or used (bad URL, missing driver, unreachable)."""


class NotFound(StoreError):
    """A named thing does not exist."""


class SegmentNotFound(NotFound):
    """No segment has that name."""


class BroadcastNotFound(NotFound):
    """No broadcast has that name."""


class NameTaken(StoreError):
    """Another segment (or broadcast) has that name, ignoring case and surrounding spaces."""


class BadName(StoreError):
    """An empty or too long name."""

    exit_code = 2


class VersionConflict(StoreError):
    """The segment changed since the version the edit was based on (optimistic concurrency)."""


class PendingResends(StoreError):
    """Deleting a segment whose broadcasts wait for a resend needs ``force``."""


class RunBusy(StoreError):
    """Another process is sending that broadcast run (or has just started a new one)."""


class SegmentGone(StoreError):
    """The broadcast's segment was deleted, so there is no current audience to resend to."""


class DeliveryFailed(StoreError):
    """The deliverer raised for a batch; the run stays unfinished and ``resend`` resumes it."""


class BadDeliverer(StoreError):
    """The chosen deliverer cannot be used (not an http(s) URL, no ``segdsl_deliver`` hook, …).

    Raised before anything is recorded.
    """

    exit_code = 2


class DelivererNeeded(StoreError):
    """A resend cannot reopen the broadcast's recorded deliverer by itself (its webhook URL had
    secrets, which are not stored; or it was an object handed to the API): name it again."""

    exit_code = 2
