"""Operations from the command line: `flask --app tracker seed`, `... users create-moderator`."""
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from .applications import import_jobs
from .applications.digest import queue_digests
from .auth.names import accounts_looking_like, normalise_name
from .auth.users import EmailTaken, find_user_by_email, register_user
from .backups import BackupError, back_up, restore
from .catalogue.importer import RoleFileError, import_role_files
from .discussion.seeding import seed_threads
from .extensions import cache, db
from .mail import send_pending
from .models import User

SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"

users_cli = AppGroup("users", help="Manage accounts and moderators.")
catalogue_cli = AppGroup("catalogue", help="Manage the role catalogue.")
mail_cli = AppGroup("mail", help="Send the mails waiting in the outbox.")
imports_cli = AppGroup("imports", help="Import the CSV files kept as jobs.")


@click.command("seed")
@with_appcontext
def seed_command():
    """Load the roles and their threads in seed_data/ (safe to run again: it updates, never duplicates)."""
    results = import_role_files(sorted((SEED_DIR / "roles").glob("*.toml")))
    for result in results:
        click.echo(f"{'added' if result.created else 'updated'} role {result.slug}")
    threads = seed_threads(SEED_DIR / "comments")
    db.session.commit()
    for slug, added in threads:
        click.echo(f"added {added} comments on {slug}")


@catalogue_cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def import_command(files):
    """Add or update roles from role files (TOML, the format of seed_data/roles/)."""
    try:
        results = import_role_files(files)
    except RoleFileError as error:
        raise click.ClickException(f"{error}\nNothing was imported.") from error
    for result in results:
        click.echo(f"{'added' if result.created else 'updated'} role {result.slug}")


@users_cli.command("create-moderator")
@click.argument("email")
@click.option("--name", help="Display name, when creating a new account.")
@click.option("--password", help="Password, when creating a new account (asked if not given).")
def create_moderator(email, name, password):
    """Make the account with EMAIL a moderator, creating it if there is none."""
    user = find_user_by_email(email)
    if user is None and "@" not in email:
        raise click.ClickException(f"'{email}' is not an email address.")
    name = user.display_name if user else normalise_name(name or email.split("@")[0])
    _refuse_look_alikes(name, user.id if user else None)
    if user is None:
        if password is None:
            password = click.prompt("Password for the new account", hide_input=True, confirmation_prompt=True)
        if len(password) < 8:
            raise click.ClickException("The password must have at least 8 characters.")
        try:
            user = register_user(email, name, password)
        except EmailTaken:
            raise click.ClickException(f"An account with {email} was made a moment ago; run this again.") from None
        action = "created"
    else:
        action = "promoted"
    user.is_moderator = True
    db.session.commit()
    click.echo(f"{action} moderator {user.email}")


def _refuse_look_alikes(name: str, user_id: int | None) -> None:
    """Stop a promotion while other accounts hold names a reader could not tell from the
    moderator's `name`: each would pass for a moderator."""
    others = accounts_looking_like(name, user_id)
    if others:
        held_by = "; ".join(f"account {other.id} ({other.display_name!r})" for other in others)
        raise click.ClickException(
            f"Not made a moderator: the name {name!r} looks like the name of {held_by}, which would then pass "
            "for a moderator. Have one of them choose another name first."
        )


@users_cli.command("revoke-moderator")
@click.argument("email")
def revoke_moderator(email):
    """Take the moderator role away from the account with EMAIL."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account uses {email}.")
    user.is_moderator = False
    db.session.commit()
    click.echo(f"{user.email} is no longer a moderator")


@users_cli.command("list-moderators")
def list_moderators():
    """Print every moderator's email and display name."""
    moderators = db.session.scalars(sa.select(User).where(User.is_moderator).order_by(User.email)).all()
    if not moderators:
        click.echo("There are no moderators yet.")
    for user in moderators:
        click.echo(f"{user.email}\t{user.display_name}")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file):
    """Write the whole database to FILE, a new file, while the app keeps running."""
    try:
        back_up(db.engine, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up {_database_name()} to {file}")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the database's content is to be replaced.")
@with_appcontext
def restore_command(file, yes):
    """Replace everything in the database with the backup in FILE."""
    if not yes:
        raise click.ClickException(
            f"This replaces everything in {_database_name()} with the content of {file}. Run it again with --yes to do so."
        )
    try:
        restore(db.engine, file)
    except BackupError as error:
        raise click.ClickException(f"{error}\nThe database was not changed.") from error
    # Ids handed out after the backup will be handed out again, to other rows; entries
    # kept under their versions would show the old rows.
    cache.clear()
    click.echo(f"restored {_database_name()} from {file}")


@mail_cli.command("send")
@click.option("--watch", is_flag=True, help="Keep running, sending new mails as they are written.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks at the outbox with --watch.")
def send_mail_command(watch, interval):
    """Send the outbox's mails that are due (over SMTP with MAIL_SERVER, else to the log)."""
    while True:
        try:
            sent, failed = send_pending()
            db.session.commit()
        except sa.exc.OperationalError as error:  # the database away for a moment
            db.session.rollback()
            if not watch:
                raise click.ClickException(f"The outbox could not be read: {error}") from error
            click.echo(f"the outbox could not be read, trying again: {error}", err=True)
            sent = failed = 0
        if sent or failed or not watch:
            click.echo(f"sent {sent} mails, {failed} failed" + (" (tried again later)" if failed else ""))
        if not watch:
            return
        if not sent:  # a full batch means more may be waiting
            time.sleep(interval)


@mail_cli.command("digest")
def digest_command():
    """Queue the weekly mail of coming interviews and deadlines (run it once a week, e.g. from cron)."""
    queued = queue_digests()
    db.session.commit()
    click.echo(f"queued {queued} digests")


@imports_cli.command("run")
@click.option("--watch", is_flag=True, help="Keep running, importing new files as they are sent.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between looks for new files with --watch.")
def run_imports_command(watch, interval):
    """Import the CSV files waiting as jobs (and those of a worker that died)."""
    while True:
        try:
            ran = import_jobs.run_waiting()
        except sa.exc.OperationalError as error:  # the database away for a moment
            db.session.rollback()
            if not watch:
                raise click.ClickException(f"The import jobs could not be read: {error}") from error
            click.echo(f"the import jobs could not be read, trying again: {error}", err=True)
            ran = 0
        if ran or not watch:
            click.echo(f"ran {ran} imports")
        if not watch:
            return
        time.sleep(interval)


def _database_name() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(catalogue_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(imports_cli)
