"""Flask commands: each a few lines calling one service."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from surgery.geo import build_index

geo_cli = AppGroup("geo", help="The offline postcode index.")


@geo_cli.command("build-index")
@click.option("--force", is_flag=True, help="Rebuild even if the index file exists.")
def build_postcode_index(force: bool) -> None:
    """Build the postcode index from the bundled Code-Point Open table."""
    from pathlib import Path

    from surgery.geo import ensure_index

    path = Path(current_app.config["GEO_INDEX_PATH"])
    if force or not path.exists():
        rows = build_index(path)
        click.echo(f"Built the postcode index at {path} ({rows:,} postcodes).")
    else:
        ensure_index(path)
        click.echo(f"The postcode index at {path} is ready.")


def register(app: Flask) -> None:
    """Add the project's command groups to the app's `flask` CLI."""
    app.cli.add_command(geo_cli)
