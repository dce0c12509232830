"""question.version: the question editor's optimistic lock (issue 17)

Two planners editing one question at once: each save carries the version it started from, and a
save from an older version is refused with the other planner's text shown, so nothing is lost.

Revision ID: e3f1a9c7b5d2
Revises: 5a7d3c9e1b42
Create Date: 2026-12-03 13:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e3f1a9c7b5d2'
down_revision = '5a7d3c9e1b42'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    # A plain column drop (no batch table copy): answers refer to questions with foreign keys.
    op.drop_column('question', 'version')
