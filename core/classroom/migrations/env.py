"""Alembic's environment: run the migrations on the connection the caller handed in.

Alembic loads this file for every command. The store (or a test) passes an open connection in
`config.attributes["connection"]`, already in the transaction that keeps concurrent starts
apart; Alembic then sees an external transaction and leaves committing to the caller.
"""

from alembic import context

from core.classroom.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the classroom migrations through core.classroom.migrations.upgrade(connection)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
