"""Models and migrations agree, on whichever database this leg runs."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from consult.extensions import db


def test_migrations_create_every_model_table(app) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(app) -> None:
    with db.engine.connect() as conn:
        from consult.data.search import include_object  # the search index (FTS5 / GIN) has no model

        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
