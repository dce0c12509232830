"""outbox email partnership: each partnership's outbox lists only its own emails

Until now the outbox listed every partnership's emails, live invitation links included (issue 15,
finding 2). Emails already recorded are given the partnership of the contact they were sent to,
where exactly one partnership has a contact with that address; the others stay in nobody's outbox.

Revision ID: 4dddc5090ab3
Revises: 8d7d09e34706
Create Date: 2026-12-03 09:31:41.875802

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4dddc5090ab3'
down_revision = '8d7d09e34706'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partnership_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_email_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_email_partnership_id_partnership'), 'partnership',
                                    ['partnership_id'], ['id'])
    owners = (
        "SELECT organisation.partnership_id FROM contact JOIN organisation ON organisation.id = contact.organisation_id "
        "WHERE lower(contact.email) = lower(outbox_email.\"to\")"
    )
    op.execute(
        f"UPDATE outbox_email SET partnership_id = (SELECT min(partnership_id) FROM ({owners}) AS o) "
        f"WHERE (SELECT count(DISTINCT partnership_id) FROM ({owners}) AS o) = 1"
    )


def downgrade():
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_email_partnership_id_partnership'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_email_partnership_id'))
        batch_op.drop_column('partnership_id')
