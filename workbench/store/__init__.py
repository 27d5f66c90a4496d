"""The store: SQLAlchemy tables, engine and transactions, repositories, Alembic migrations."""
