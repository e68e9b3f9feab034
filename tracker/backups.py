"""Backing up the database to a file and restoring it from one: SQLite's online backup
API for SQLite, pg_dump and pg_restore (custom format) for PostgreSQL."""
import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa

# How each kind of backup file begins, to refuse one kind given for the other.
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


class BackupError(Exception):
    """A backup or a restore could not be made; the message says why."""


def back_up(engine: sa.Engine, target: Path) -> None:
    """Write the whole database behind `engine` to the new file `target`."""
    if target.exists():
        raise BackupError(f"{target} exists already: choose another name, so that no backup is overwritten.")
    if engine.dialect.name == "sqlite":
        _copy_sqlite(engine, target, into_database=False)
    else:
        _run_postgres_tool(engine, ["pg_dump", "--format=custom", f"--file={target}"])


def restore(engine: sa.Engine, source: Path) -> None:
    """Replace everything in the database behind `engine` with the backup `source`."""
    with source.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if engine.dialect.name == "sqlite":
        if not header.startswith(SQLITE_HEADER):
            raise BackupError(f"{source} is not a SQLite backup{_which_kind(header)}.")
        _copy_sqlite(engine, source, into_database=True)
    else:
        if not header.startswith(PG_DUMP_HEADER):
            raise BackupError(f"{source} is not a PostgreSQL backup made by pg_dump --format=custom{_which_kind(header)}.")
        # One transaction, so that a restore that fails leaves the database as it was.
        _run_postgres_tool(engine, ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)])


def _which_kind(header: bytes) -> str:
    if header.startswith(SQLITE_HEADER):
        return " (it is a SQLite one)"
    if header.startswith(PG_DUMP_HEADER):
        return " (it is a PostgreSQL one)"
    return ""


def _copy_sqlite(engine: sa.Engine, file: Path, into_database: bool) -> None:
    # The backup API copies a consistent snapshot page by page while the app keeps
    # running, which copying the file (and its WAL beside it) would not.
    try:
        with engine.connect() as connection, closing(sqlite3.connect(file)) as backup_file:
            database = connection.connection.driver_connection
            source, target = (backup_file, database) if into_database else (database, backup_file)
            source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"{file}: {error}") from error


def _run_postgres_tool(engine: sa.Engine, command: list[str]) -> None:
    url = engine.url
    # libpq knows no SQLAlchemy driver name; the password goes by the environment, not
    # on a command line that every user of the machine can read.
    libpq_url = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = {**os.environ, "PGPASSWORD": url.password} if url.password else None
    try:
        finished = subprocess.run([*command, f"--dbname={libpq_url}"], env=environment, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (it comes with PostgreSQL's client programs).") from error
    if finished.returncode != 0:
        raise BackupError(f"{command[0]} failed:\n{finished.stderr.strip()}")
