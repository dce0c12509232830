"""Search over answers (FTS5 on SQLite, a GIN expression index on PostgreSQL) and the coding history (issue 16)

The search index holds the redacted text (answer.text) only, never text_original. On SQLite it is an
FTS5 external-content table kept in step with answer by triggers, so every insert, change and erasure
(a deleted row, or text set to NULL by retention) reaches the index in the same transaction. On
PostgreSQL the index is an expression index over to_tsvector('simple', text), which the database keeps
in step itself. consult.data.search queries each the same way.

Revision ID: f4c8e2a61b90
Revises: b7e2c9d4a610
Create Date: 2026-12-03 13:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'f4c8e2a61b90'
down_revision = 'b7e2c9d4a610'
branch_labels = None
depends_on = None

SQLITE_UP = [
    # remove_diacritics 0: match accents exactly, as PostgreSQL's 'simple' configuration does.
    "CREATE VIRTUAL TABLE answer_fts USING fts5(text, content='answer', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "INSERT INTO answer_fts(rowid, text) SELECT id, text FROM answer WHERE text IS NOT NULL",
    "CREATE TRIGGER answer_fts_insert AFTER INSERT ON answer WHEN new.text IS NOT NULL BEGIN "
    "INSERT INTO answer_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER answer_fts_delete AFTER DELETE ON answer WHEN old.text IS NOT NULL BEGIN "
    "INSERT INTO answer_fts(answer_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER answer_fts_update_old AFTER UPDATE OF text ON answer WHEN old.text IS NOT NULL BEGIN "
    "INSERT INTO answer_fts(answer_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER answer_fts_update_new AFTER UPDATE OF text ON answer WHEN new.text IS NOT NULL BEGIN "
    "INSERT INTO answer_fts(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS answer_fts_update_new",
    "DROP TRIGGER IF EXISTS answer_fts_update_old",
    "DROP TRIGGER IF EXISTS answer_fts_delete",
    "DROP TRIGGER IF EXISTS answer_fts_insert",
    "DROP TABLE IF EXISTS answer_fts",
]
PG_UP = ["CREATE INDEX ix_answer_text_search ON answer USING gin (to_tsvector('simple', coalesce(text, '')))"]
PG_DOWN = ["DROP INDEX IF EXISTS ix_answer_text_search"]


def upgrade():
    op.create_table(
        'coding_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=True),
        sa.Column('target_theme_id', sa.Integer(), nullable=True),
        sa.Column('answers', sa.Integer(), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('undoes_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'],
                                name=op.f('fk_coding_batch_consultation_id_consultation')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_coding_batch_user_id_user')),
        sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_coding_batch_theme_id_theme')),
        sa.ForeignKeyConstraint(['target_theme_id'], ['theme.id'],
                                name=op.f('fk_coding_batch_target_theme_id_theme')),
        sa.ForeignKeyConstraint(['undoes_id'], ['coding_batch.id'],
                                name=op.f('fk_coding_batch_undoes_id_coding_batch')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_batch')),
    )
    op.create_index(op.f('ix_coding_batch_consultation_id'), 'coding_batch', ['consultation_id'], unique=False)
    op.create_index(op.f('ix_coding_batch_undoes_id'), 'coding_batch', ['undoes_id'], unique=False)
    op.create_table(
        'coding_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['batch_id'], ['coding_batch.id'],
                                name=op.f('fk_coding_change_batch_id_coding_batch')),
        sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_coding_change_answer_id_answer')),
        sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_coding_change_theme_id_theme')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coding_change')),
    )
    op.create_index(op.f('ix_coding_change_batch_id'), 'coding_change', ['batch_id'], unique=False)
    op.create_index(op.f('ix_coding_change_answer_id'), 'coding_change', ['answer_id'], unique=False)
    op.create_index(op.f('ix_coding_change_theme_id'), 'coding_change', ['theme_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_UP if dialect == "sqlite" else PG_UP if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else PG_DOWN if dialect == "postgresql" else []:
        op.execute(statement)
    op.drop_index(op.f('ix_coding_change_theme_id'), table_name='coding_change')
    op.drop_index(op.f('ix_coding_change_answer_id'), table_name='coding_change')
    op.drop_index(op.f('ix_coding_change_batch_id'), table_name='coding_change')
    op.drop_table('coding_change')
    op.drop_index(op.f('ix_coding_batch_undoes_id'), table_name='coding_batch')
    op.drop_index(op.f('ix_coding_batch_consultation_id'), table_name='coding_batch')
    op.drop_table('coding_batch')
