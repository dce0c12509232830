"""share links: signed, expiring, revocable read-only links to a consultation's pack

Revision ID: 5a7d3c9e1b42
Revises: b3e8d1f0a725
Create Date: 2026-12-03 13:25:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5a7d3c9e1b42'
down_revision = 'b3e8d1f0a725'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'share_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('target', sa.String(length=20), nullable=False),
        sa.Column('filter_query', sa.Text(), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'],
                                name=op.f('fk_share_link_consultation_id_consultation')),
        sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_share_link_created_by_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_share_link')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_share_link_token_hash')),
    )
    op.create_index(op.f('ix_share_link_consultation_id'), 'share_link', ['consultation_id'], unique=False)
    op.create_index(op.f('ix_share_link_created_by'), 'share_link', ['created_by'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_share_link_created_by'), table_name='share_link')
    op.drop_index(op.f('ix_share_link_consultation_id'), table_name='share_link')
    op.drop_table('share_link')
