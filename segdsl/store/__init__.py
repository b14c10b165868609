"""Saved segments, live counts, broadcasts, runs and deliveries (``segdsl.Store``).

>>> from segdsl.store import Store, StoreError
"""

from segdsl.store.deliverers import Deliverer
from segdsl.store.errors import (
    BadDeliverer,
    BadName,
    BroadcastNotFound,
    DelivererNeeded,
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
    "BadDeliverer", "BadName", "Broadcast", "BroadcastNotFound", "Count", "Deliverer", "DelivererNeeded",
    "Delivery", "DeliveryFailed", "Edit", "NameTaken",
    "NotFound", "Outcome", "PendingResends", "Run", "RunBusy", "Segment", "SegmentGone", "SegmentNotFound",
    "SegmentVersion", "Store", "StoreError", "StoreUnavailable", "VersionConflict", "open",
]
