"""Flask commands: each a few lines calling one service."""

import click
from flask import Flask
from flask.cli import AppGroup

from surgery.clock import utcnow
from surgery.services import demo, personal_data, places

geo_cli = AppGroup("geo", help="The offline postcode index.")
demo_cli = AppGroup("demo", help="Demo data for trying the service out.")
intake_cli = AppGroup("intake", help="Requests and offers.")


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
        click.echo(f"Loaded {len(demo.GROUPS)} groups and {len(demo.VOLUNTEERS)} volunteers.")
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


def register(app: Flask) -> None:
    """Add the project's command groups to the app's `flask` CLI."""
    for group in (geo_cli, demo_cli, intake_cli):
        app.cli.add_command(group)
