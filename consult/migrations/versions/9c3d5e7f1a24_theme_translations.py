"""theme.translations: a theme's name and child-friendly name per language, for the public pages (issue 16)

English stays in theme.name and theme.child_name; other languages go here as
{"gd": {"name": ..., "child_name": ...}}. Existing themes get {}: their public pages show the
English name, marked lang="en", until a planner adds a translation on the theme page.

Revision ID: 9c3d5e7f1a24
Revises: f4c8e2a61b90
Create Date: 2026-12-03 13:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '9c3d5e7f1a24'
down_revision = 'f4c8e2a61b90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('theme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    # A plain drop, not a batch copy: on SQLite recreating theme fails while other tables refer to it.
    op.drop_column('theme', 'translations')
