"""A deliverer for the crash and concurrency tests: logs each batch as a line, optionally slowly.

``STORE_TEST_LOG``: the file each batch is appended to (``pid run_id id,id,...``), fsynced
before the call returns. ``STORE_TEST_DELAY``: seconds to sleep per batch.
"""

from __future__ import annotations

import os
import time

from segdsl.families.hookspecs import hookimpl


class Slow:
    @hookimpl
    def segdsl_deliver(self, broadcast, run, batch):  # noqa: ANN001
        with open(os.environ["STORE_TEST_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {run.id} " + ",".join(str(d.customer_id) for d in batch) + "\n")
            log.flush()
            os.fsync(log.fileno())
        time.sleep(float(os.environ.get("STORE_TEST_DELAY", "0")))
