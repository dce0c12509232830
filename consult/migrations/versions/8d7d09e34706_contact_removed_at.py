"""contact removed_at: when a contact was taken out of the register

Until now an empty email address marked a removed contact (kept only as a record for the
evidence of consultation). Those contacts get removed_at: the time of their "contact.remove"
audit event where the audit log still holds one, otherwise the time of this migration.

Revision ID: 8d7d09e34706
Revises: 285b43e5a76f
Create Date: 2026-11-22 11:10:11.214501

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8d7d09e34706'
down_revision = '285b43e5a76f'
branch_labels = None
depends_on = None

contact = sa.table(
    'contact',
    sa.column('id', sa.Integer),
    sa.column('email', sa.String),
    sa.column('opted_out', sa.Boolean),
    sa.column('removed_at', sa.DateTime(timezone=True)),
)
audit_event = sa.table(
    'audit_event',
    sa.column('at', sa.DateTime(timezone=True)),
    sa.column('action', sa.String),
    sa.column('object_type', sa.String),
    sa.column('object_id', sa.Integer),
)


def upgrade():
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))

    # Contacts removed before this column existed: the ones with the address erased.
    removed_when = (
        sa.select(sa.func.max(audit_event.c.at))
        .where(audit_event.c.action == 'contact.remove', audit_event.c.object_type == 'contact',
               audit_event.c.object_id == contact.c.id)
        .scalar_subquery()
    )
    now = sa.bindparam('now', datetime.now(UTC), type_=sa.DateTime(timezone=True))
    op.execute(
        contact.update()
        .where(contact.c.email == '', contact.c.removed_at.is_(None))
        .values(removed_at=sa.func.coalesce(removed_when, now))
    )


def downgrade():
    # The old code knows a removed contact only by its empty address (kept erased by removal) and
    # stops their email through opted_out: make sure both hold before the column goes.
    op.execute(
        contact.update()
        .where(contact.c.removed_at.is_not(None))
        .values(email='', opted_out=True)
    )
    # Not a batch (copy-and-move) on SQLite: dropping and recreating the contact table fails while
    # invitations and drafts refer to it with foreign keys on. SQLite (3.35+) drops a plain column itself.
    op.drop_column('contact', 'removed_at')
