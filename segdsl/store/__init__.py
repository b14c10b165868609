"""Saved segments, live counts, broadcasts, runs and deliveries (``segdsl.Store``).

>>> from segdsl.store import Store, StoreError
"""

from segdsl.store.errors import (
    BadName,
    BroadcastNotFound,
    DeliveryFailed,
    NameTaken,
    NotFound,
    PendingResends,
    RunBusy,
    SegmentGone,
    SegmentNotFound,
    StoreError,
    StoreUnavailable,
    VersionConflict,
)
from segdsl.store.records import Broadcast, Count, Delivery, Edit, Outcome, Run, Segment, SegmentVersion
from segdsl.store.store import Store, open

__all__ = [
    "BadName", "Broadcast", "BroadcastNotFound", "Count", "Delivery", "DeliveryFailed", "Edit", "NameTaken",
    "NotFound", "Outcome", "PendingResends", "Run", "RunBusy", "Segment", "SegmentGone", "SegmentNotFound",
    "SegmentVersion", "Store", "StoreError", "StoreUnavailable", "VersionConflict", "open",
]
