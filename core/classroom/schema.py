"""The classroom's tables (SQLAlchemy Core), as the newest migration leaves them.

This is what the store's queries are written against; the migrations in `migrations/versions/`
are the history that builds it, each frozen as it was written (a test checks that upgrading to
the head gives exactly these tables). Times are naive UTC `DateTime`s, the one form SQLite and
PostgreSQL store alike; the store turns them into aware datetimes on the way out.

The board asks one question often: every submission of a class, by challenge and member. Index
`ix_submissions_board` answers it; `ix_submissions_member_time` answers the rate limit's "how
many submissions did this member make in the last minute".
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

KEY_MAX = 64  # a challenge key: "spiral-3-layers", "class-12-1"
HASH_LENGTH = 64  # a SHA-256 hex digest

# Named constraints, so that a migration can refer to them and both databases name them alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

classes = Table(
    "classes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("join_code", String(8), nullable=False, unique=True),
    Column("teacher_secret_hash", String(HASH_LENGTH), nullable=False, unique=True),
    Column("title", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("closed_at", DateTime, nullable=True),
)

# Challenges a teacher authored for one class; the built-in ones live in code and are referred
# to by key only (class_id NULL is kept for a built-in copied into the database).
challenges = Table(
    "challenges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("class_id", Integer, ForeignKey("classes.id", ondelete="CASCADE"), nullable=True),
    Column("key", String(KEY_MAX), nullable=False),
    Column("title", String(80), nullable=False),
    Column("goal", Text, nullable=False),
    Column("spec_json", Text, nullable=False),
    UniqueConstraint("class_id", "key", name="uq_challenges_class_id_key"),
)

# Which challenges a class works on, in the teacher's order.
class_challenges = Table(
    "class_challenges",
    metadata,
    Column("class_id", Integer, ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True),
    Column("challenge_key", String(KEY_MAX), primary_key=True),
    Column("position", Integer, nullable=False),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("class_id", Integer, ForeignKey("classes.id", ondelete="CASCADE"), nullable=False),
    Column("display_name", String(32), nullable=False),
    # casefolded display name: the unique index below compares names in this form
    Column("name_key", String(128), nullable=False),
    Column("member_token_hash", String(HASH_LENGTH), nullable=False, unique=True),
    Column("joined_at", DateTime, nullable=False),
    Column("removed_at", DateTime, nullable=True),
)

# One active member per name and class; a removed member frees the name.
Index(
    "uq_members_active_name",
    members.c.class_id,
    members.c.name_key,
    unique=True,
    sqlite_where=members.c.removed_at.is_(None),
    postgresql_where=members.c.removed_at.is_(None),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("class_id", Integer, ForeignKey("classes.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("challenge_key", String(KEY_MAX), nullable=False),
    Column("score", Float, nullable=False),
    Column("solved", Boolean, nullable=False),
    Column("parameters", Integer, nullable=False),
    # added by migration 0002; NULL on rows submitted before it
    Column("epochs", Integer, nullable=True),
    Column("config_json", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

Index("ix_submissions_board", submissions.c.class_id, submissions.c.challenge_key, submissions.c.member_id)
Index("ix_submissions_member_time", submissions.c.member_id, submissions.c.created_at)
