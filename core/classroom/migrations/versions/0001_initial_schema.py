"""0001: the first classroom schema: classes, challenges, class_challenges, members, submissions.

Frozen as first released: submissions had no `epochs` column yet (0002 adds it). Written out
table by table rather than from `schema.metadata`, so that later changes to the schema cannot
change what this revision did.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("join_code", sa.String(8), nullable=False),
        sa.Column("teacher_secret_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_classes"),
        sa.UniqueConstraint("join_code", name="uq_classes_join_code"),
        sa.UniqueConstraint("teacher_secret_hash", name="uq_classes_teacher_secret_hash"),
    )
    op.create_table(
        "challenges",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, nullable=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("goal", sa.Text, nullable=False),
        sa.Column("spec_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_challenges"),
        sa.ForeignKeyConstraint(
            ["class_id"], ["classes.id"], name="fk_challenges_class_id_classes", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("class_id", "key", name="uq_challenges_class_id_key"),
    )
    op.create_table(
        "class_challenges",
        sa.Column("class_id", sa.Integer, nullable=False),
        sa.Column("challenge_key", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("class_id", "challenge_key", name="pk_class_challenges"),
        sa.ForeignKeyConstraint(
            ["class_id"], ["classes.id"], name="fk_class_challenges_class_id_classes", ondelete="CASCADE"
        ),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, nullable=False),
        sa.Column("display_name", sa.String(32), nullable=False),
        sa.Column("name_key", sa.String(128), nullable=False),
        sa.Column("member_token_hash", sa.String(64), nullable=False),
        sa.Column("joined_at", sa.DateTime, nullable=False),
        sa.Column("removed_at", sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
        sa.ForeignKeyConstraint(
            ["class_id"], ["classes.id"], name="fk_members_class_id_classes", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("member_token_hash", name="uq_members_member_token_hash"),
    )
    op.create_index(
        "uq_members_active_name",
        "members",
        ["class_id", "name_key"],
        unique=True,
        sqlite_where=sa.text("removed_at IS NULL"),
        postgresql_where=sa.text("removed_at IS NULL"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, nullable=False),
        sa.Column("member_id", sa.Integer, nullable=False),
        sa.Column("challenge_key", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("solved", sa.Boolean, nullable=False),
        sa.Column("parameters", sa.Integer, nullable=False),
        sa.Column("config_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.ForeignKeyConstraint(
            ["class_id"], ["classes.id"], name="fk_submissions_class_id_classes", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_submissions_member_id_members", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_submissions_board", "submissions", ["class_id", "challenge_key", "member_id"])
    op.create_index("ix_submissions_member_time", "submissions", ["member_id", "created_at"])


def downgrade() -> None:
    for table in ("submissions", "members", "class_challenges", "challenges", "classes"):
        op.drop_table(table)
