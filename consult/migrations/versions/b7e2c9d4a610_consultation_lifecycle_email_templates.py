"""Consultation lifecycle schedule (publish_at, remind_on, reminded_on) and per-partnership email templates (issue 17)

Publishing results used to set status to "published", which closed answering for good. Now status is only the
answering state (draft, scheduled, open, closed) and published_at says whether the results are public, so a
consultation published before this counts as closed with its results published.

Revision ID: b7e2c9d4a610
Revises: d5a0c3e1f2b7
Create Date: 2026-12-03 13:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7e2c9d4a610'
down_revision = 'd5a0c3e1f2b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('remind_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('reminded_on', sa.Date(), nullable=True))
    op.execute("UPDATE consultation SET status = 'closed' WHERE status = 'published'")
    op.create_table(
        'email_template',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('partnership_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('language', sa.String(length=10), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'],
                                name=op.f('fk_email_template_partnership_id_partnership')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_email_template_updated_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_email_template')),
        sa.UniqueConstraint('partnership_id', 'kind', 'language',
                            name=op.f('uq_email_template_partnership_id_kind_language')),
    )
    with op.batch_alter_table('email_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_template_partnership_id'), ['partnership_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_email_template_partnership_id'), table_name='email_template')
    op.drop_table('email_template')
    op.execute("UPDATE consultation SET status = 'published' WHERE status = 'closed' AND published_at IS NOT NULL")
    op.drop_column('consultation', 'reminded_on')
    op.drop_column('consultation', 'remind_on')
    op.drop_column('consultation', 'publish_at')
