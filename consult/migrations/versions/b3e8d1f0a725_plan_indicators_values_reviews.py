"""Outcome indicators with baselines and targets, their yearly values, and plan-year review consultations (issue 17)

Priority.outcome_indicators (a list of names) stays for plans made before this; new plans also keep
one row per indicator here, so each can carry a baseline, a target and a value per plan year.

Revision ID: b3e8d1f0a725
Revises: 9c3d5e7f1a24
Create Date: 2026-12-03 13:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b3e8d1f0a725'
down_revision = '9c3d5e7f1a24'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'outcome_indicator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('priority_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('unit', sa.String(length=60), nullable=False),
        sa.Column('baseline', sa.Float(), nullable=True),
        sa.Column('target', sa.Float(), nullable=True),
        sa.Column('higher_is_better', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['priority_id'], ['priority.id'], name=op.f('fk_outcome_indicator_priority_id_priority')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_indicator')),
    )
    op.create_index(op.f('ix_outcome_indicator_priority_id'), 'outcome_indicator', ['priority_id'], unique=False)
    op.create_table(
        'indicator_value',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['indicator_id'], ['outcome_indicator.id'],
                                name=op.f('fk_indicator_value_indicator_id_outcome_indicator')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_value')),
        sa.UniqueConstraint('indicator_id', 'year', name=op.f('uq_indicator_value_indicator_id_year')),
    )
    op.create_index(op.f('ix_indicator_value_indicator_id'), 'indicator_value', ['indicator_id'], unique=False)
    op.create_table(
        'plan_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('consultation_id', sa.Integer(), nullable=False),
        sa.Column('previous_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'],
                                name=op.f('fk_plan_review_consultation_id_consultation')),
        sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_review_plan_id_plan')),
        sa.ForeignKeyConstraint(['previous_id'], ['consultation.id'],
                                name=op.f('fk_plan_review_previous_id_consultation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_review')),
        sa.UniqueConstraint('consultation_id', name=op.f('uq_plan_review_consultation_id')),
        sa.UniqueConstraint('plan_id', 'year', name=op.f('uq_plan_review_plan_id_year')),
    )
    op.create_index(op.f('ix_plan_review_plan_id'), 'plan_review', ['plan_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_plan_review_plan_id'), table_name='plan_review')
    op.drop_table('plan_review')
    op.drop_index(op.f('ix_indicator_value_indicator_id'), table_name='indicator_value')
    op.drop_table('indicator_value')
    op.drop_index(op.f('ix_outcome_indicator_priority_id'), table_name='outcome_indicator')
    op.drop_table('outcome_indicator')
