"""0002: submissions gain `epochs` (how long the student trained), NULL on the older rows.

Nullable on purpose: a submission made before this revision has no epoch count, and inventing
one (0) would show on the board as a run that never trained.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite's ALTER TABLE ADD COLUMN takes a nullable column without rebuilding the table
    op.add_column("submissions", sa.Column("epochs", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("epochs")
