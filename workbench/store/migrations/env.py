"""Alembic environment: runs on the connection handed over by workbench.store.db.migrate."""

from alembic import context

from workbench.store.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only run through workbench.store.db
    raise RuntimeError("Migreringar körs via workbench (open_store), inte fristående.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
