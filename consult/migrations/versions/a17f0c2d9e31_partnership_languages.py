"""partnership.languages: the languages a partnership consults in (issue 17)

The other per-partnership settings the operator edits (suppression_threshold, min_notice_days,
min_window_days, retention_days) were in the initial schema; languages was only on consultations.
Existing partnerships get English; the operator page adds the others.

Revision ID: a17f0c2d9e31
Revises: c41f0e7a9b21
Create Date: 2026-12-03 12:55:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a17f0c2d9e31'
down_revision = 'c41f0e7a9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), server_default='["en"]', nullable=False))


def downgrade():
    # A plain drop, not a batch copy: on SQLite recreating partnership fails while other tables refer to it.
    op.drop_column('partnership', 'languages')
