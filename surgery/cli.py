"""Flask commands: each a few lines calling one service."""

from ipaddress import ip_address
from pathlib import Path

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate.cli import db as migrate_cli
from werkzeug.serving import run_simple

from surgery.clock import utcnow
from surgery.scheduler import SCHEDULE, add_jobs
from surgery.services import (
    accounts,
    backups,
    demo,
    matching,
    outbox_tools,
    personal_data,
    places,
)

geo_cli = AppGroup("geo", help="The offline postcode index.")
demo_cli = AppGroup("demo", help="Demo data for trying the service out.")
intake_cli = AppGroup("intake", help="Requests and offers.")
scheduler_cli = AppGroup("scheduler", help="The follow-through scheduler.")
admin_cli = AppGroup("admin", help="Admin accounts.")
match_cli = AppGroup("match", help="The matcher.")
notify_cli = AppGroup("notify", help="The outbox of emails.")


@geo_cli.command("build-index")
@click.option("--force", is_flag=True, help="Rebuild even if the index file exists.")
def build_postcode_index(force: bool) -> None:
    """Build the postcode index from the bundled Code-Point Open table, if it is missing."""
    path, rows = places.prepare_postcode_index(force)
    if rows is None:
        click.echo(f"The postcode index at {path} is ready.")
    else:
        click.echo(f"Built the postcode index at {path} ({rows:,} postcodes).")


@demo_cli.command("load")
def load_demo() -> None:
    """Add demo groups and volunteers across Great Britain (once)."""
    if demo.load_demo(utcnow()):
        counts = (len(demo.GROUPS), len(demo.VOLUNTEERS), len(demo.SESSIONS), len(demo.HISTORY))
        click.echo(
            "Loaded {} groups, {} volunteers and {} sessions, and {} sessions already held.".format(
                *counts
            )
        )
    else:
        click.echo("The demo data is already loaded.")


@intake_cli.command("purge")
def purge_unconfirmed() -> None:
    """Delete requests and offers never confirmed within 7 days, and abandoned form drafts."""
    report = personal_data.purge_unconfirmed(utcnow())
    click.echo(
        f"Deleted {report.requests} requests, {report.askers} askers, "
        f"{report.volunteers} volunteers and {report.drafts} drafts."
    )


@scheduler_cli.command("run")
def run_scheduler() -> None:
    """Run the scheduler in this process until stopped (production runs one or more of these)."""
    scheduler = BlockingScheduler(timezone="UTC")
    add_jobs(scheduler, current_app._get_current_object())
    click.echo(f"Scheduler running: {', '.join(job.id for job in SCHEDULE)}. Ctrl+C stops it.")
    scheduler.start()


@match_cli.command("run")
@click.option("--session", "session_id", type=int, help="Match only this session.")
@click.option("--dry-run", is_flag=True, help="Work out the pairings but store nothing.")
def run_match(session_id: int | None, dry_run: bool) -> None:
    """Pair open requests with volunteers at upcoming sessions (proposals for hosts to review)."""
    run = matching.run_matching(utcnow(), "cli", session_id=session_id, dry_run=dry_run)
    click.echo(
        f"{'Would pair' if dry_run else 'Paired'} {run.paired} of {run.requests_considered} "
        f"open requests; unpaired: {run.unpaired_by_reason or 'none'}. {run.churn_summary}".strip()
    )


@notify_cli.command("status")
def outbox_status() -> None:
    """Count the outbox's emails in each state, and say how long the oldest due one has waited."""
    now = utcnow()
    status = outbox_tools.outbox_status(now)
    for state, count in status.counts.items():
        click.echo(f"{state.value:<10} {count:>8,}")
    if status.oldest_due_at is None:
        click.echo("Nothing is due.")
    else:
        waited = int((now - status.oldest_due_at).total_seconds() // 60)
        click.echo(
            f"{status.due:,} due now; the oldest since {status.oldest_due_at:%Y-%m-%d %H:%M} UTC "
            f"({waited:,} minutes ago)."
        )


@notify_cli.command("retry")
@click.argument("notification_id", type=int)
def retry_email(notification_id: int) -> None:
    """Try failed email NOTIFICATION_ID again now, its attempts counted afresh."""
    row = outbox_tools.outbox_row(notification_id)
    if row is None:
        raise click.ClickException(f"There is no email {notification_id}.")
    try:
        outbox_tools.retry_failed(None, row, utcnow())
    except ValueError:
        message = f"Email {row.id} is {row.status.value}: only failed emails are retried."
        raise click.ClickException(message) from None
    click.echo(f"Email {row.id}: {outbox_tools.after_retry(row)}")


@admin_cli.command("create")
@click.argument("email")
@click.option("--name", default="Admin", show_default=True, help="The admin's name.")
def create_admin(email: str, name: str) -> None:
    """Make EMAIL an admin and print a link (valid 3 days) to set the password."""
    link = accounts.create_admin(email, name, utcnow())
    click.echo(f"{email} is an admin. Set the password here within 3 days:\n{link}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Serve the embedded default: the site, with the scheduler in this one process."""
    app = current_app._get_current_object()
    warning = exposure_warning(host)
    if warning:
        click.secho(warning, fg="yellow", err=True)
    if app.config["SCHEDULER_IN_PROCESS"]:
        scheduler = BackgroundScheduler(timezone="UTC", daemon=True)
        add_jobs(scheduler, app)
        scheduler.start()
        click.echo(f"Scheduler running in this process: {', '.join(j.id for j in SCHEDULE)}.")
    # No reloader: it would start a second process, and with it a second scheduler.
    run_simple(host, port, app, use_reloader=False, threaded=True)


def exposure_warning(host: str) -> str | None:
    """Say so when the development server is about to answer other machines, not just this one."""
    if is_loopback(host):
        return None
    return (
        f"Warning: serving on {host}, so anyone who can reach this machine can use the site. "
        "This is the development server, which keeps mail in an outbox instead of sending it. "
        "For a public site, use gunicorn with SURGERY_CONFIG=production."
    )


def is_loopback(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:  # a host name
        return host == "localhost"


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_database(path: Path) -> None:
    """Back up the whole database to PATH (SQLite's online backup, or pg_dump for PostgreSQL)."""
    try:
        done = backups.backup(path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up the database to {done.path} ({done.size:,} bytes) with {done.tool}.")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_database(path: Path, yes: bool) -> None:
    """Replace everything in the database with the backup at PATH."""
    if not yes:
        database = backups.database_name()
        click.confirm(
            f"This replaces everything in {database} with the backup at {path}; anything "
            "written since that backup is lost. Go on?",
            abort=True,
        )
    try:
        done = backups.restore(path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored the database from {done.path} with {done.tool}.")


def register(app: Flask) -> None:
    """Add the project's command groups to the app's `flask` CLI."""
    groups = (geo_cli, demo_cli, intake_cli, scheduler_cli, admin_cli, match_cli, notify_cli)
    for command in (*groups, serve):
        app.cli.add_command(command)
    # Flask-Migrate owns the `db` group (upgrade, downgrade, …): backups sit beside them.
    for command in (backup_database, restore_database):
        migrate_cli.add_command(command)
