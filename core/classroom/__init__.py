"""The classroom: challenges a teacher assigns, classes, members and their results, in a database.

Reading order for the store (SQLAlchemy Core; SQLite by default, PostgreSQL for several machines):
- `store.py`: `Store.open()` and every action of a teacher or student (create a class, join,
  submit, the board, the CSV export), returning frozen records and raising `ClassroomError`s;
- `records.py`: those records and errors, each error with a message a person can be shown;
- `database.py`: which database, SQLite set up for several writing processes, outages as
  `StoreUnavailable`, the schema upgrade on open;
- `schema.py` (the tables) and `migrations/` (Alembic revisions that build them, without losing rows);
- `queries.py`: a class by code or secret, and the board's best-result-per-student query;
- `codes.py` (join codes, hashed secrets) and `names.py` (checks on what people type).

The challenges themselves (goals, locked controls, the automatic check) are in `challenges.py`,
`challenge_runs.py` and `checks.py`; those a teacher writes, as stored specs, in `authored.py`.
"""
