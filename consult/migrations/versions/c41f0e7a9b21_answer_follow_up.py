"""answer.follow_up: a chat follow-up reply in its own column (issue 14)

Chat mode used to glue the reply onto answer.text after a blank line, and only the Flask session
knew where the answer's own words ended, so analysis themed the joined text. Answers stored before
this keep their joined text (where the join was is not recorded anywhere).

Revision ID: c41f0e7a9b21
Revises: b6eb48014fb2
Create Date: 2026-12-03 10:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c41f0e7a9b21'
down_revision = 'b6eb48014fb2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up', sa.Text(), nullable=True))


def downgrade():
    # A plain column drop, not a batch (copy-and-move) on SQLite: recreating the answer table fails while
    # codings and flags refer to it with foreign keys on. SQLite (3.35+) drops a plain column itself.
    op.drop_column('answer', 'follow_up')
