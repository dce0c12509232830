"""Planners' theme ↔ priority link decisions, and every member answer of an emergent proposal (issue 13)

link_decision keeps a planner's confirmed or rejected link across analysis runs (theme_priority is
replaced on every run). theme.member_ids lists an emergent proposal's member answers, so the proposal
opens on all of them, not only the three examples.

Revision ID: a9d4e6f2c8b1
Revises: e3f1a9c7b5d2
Create Date: 2026-12-03 17:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a9d4e6f2c8b1'
down_revision = 'e3f1a9c7b5d2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'link_decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.Column('priority_id', sa.Integer(), nullable=False),
        sa.Column('linked', sa.Boolean(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_link_decision_theme_id_theme')),
        sa.ForeignKeyConstraint(['priority_id'], ['priority.id'], name=op.f('fk_link_decision_priority_id_priority')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_link_decision_decided_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_link_decision')),
        sa.UniqueConstraint('theme_id', 'priority_id', name=op.f('uq_link_decision_theme_id_priority_id')),
    )
    op.create_index(op.f('ix_link_decision_theme_id'), 'link_decision', ['theme_id'], unique=False)
    op.create_index(op.f('ix_link_decision_priority_id'), 'link_decision', ['priority_id'], unique=False)
    op.add_column('theme', sa.Column('member_ids', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    # A plain column drop (no batch table copy): codings and actions refer to themes with foreign keys.
    op.drop_column('theme', 'member_ids')
    op.drop_index(op.f('ix_link_decision_priority_id'), table_name='link_decision')
    op.drop_index(op.f('ix_link_decision_theme_id'), table_name='link_decision')
    op.drop_table('link_decision')
