"""Alembic environment for the store: always run in process on a connection the store opened.

`segdsl store upgrade` (and the first use of a store) pass the connection in
``config.attributes["connection"]``; there is no alembic.ini and no offline mode.
"""

from __future__ import annotations

from alembic import context

from segdsl.store.database import ours
from segdsl.store.models import VERSION_TABLE, metadata


def run() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        include_name=ours,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
