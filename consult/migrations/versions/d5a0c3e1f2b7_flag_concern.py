"""safeguarding_flag.concern: the lead's decision, so a flag with no concern returns its answers to the analysis (issue 12)

A flagged response is kept out of themes, quotes and counts of what people said. When the lead reviews
a flag and finds no safeguarding concern (a false alarm, or an answer in a language the screen does not
read that turns out to be ordinary), those words belong back in the analysis. NULL: not decided (every
flag stored before this, and every unreviewed one).

Revision ID: d5a0c3e1f2b7
Revises: a17f0c2d9e31
Create Date: 2026-12-03 13:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5a0c3e1f2b7'
down_revision = 'a17f0c2d9e31'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('safeguarding_flag', schema=None) as batch_op:
        batch_op.add_column(sa.Column('concern', sa.Boolean(), nullable=True))


def downgrade():
    op.drop_column('safeguarding_flag', 'concern')
