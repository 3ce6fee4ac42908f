"""Surgery: match community groups with volunteers at local social media surgeries."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from config import CONFIGS


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app for a named configuration (default: SURGERY_CONFIG, else development)."""
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    app.config.from_object(CONFIGS[config_name or os.environ.get("SURGERY_CONFIG", "development")])
    app.config.update(overrides)
    check_config(app)
    trust_only_public_host(app)
    register_clock(app)

    register_logging(app)
    register_extensions(app)
    register_database_hooks(app)
    register_blueprints(app)
    register_sign_in(app)
    register_limits(app)
    register_headers(app)
    register_error_pages(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def check_config(app: Flask) -> None:
    """Refuse to start without the settings that keep people safe."""
    if not app.config.get("SECRET_KEY") and app.config.get("SECRET_KEY_FILE"):
        app.config["SECRET_KEY"] = kept_secret_key(Path(app.config["SECRET_KEY_FILE"]))
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Set SECRET_KEY: sessions and form tokens are signed with it.")


def kept_secret_key(path: Path) -> str:
    """Read this instance's own random key, making it (readable by its owner only) on first run."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as kept:
            kept.write(secrets.token_urlsafe(48) + "\n")
    return path.read_text().strip()


def trust_only_public_host(app: Flask) -> None:
    """In production, refuse requests for any other host name than the public one (400)."""
    if app.config["TRUST_ONLY_PUBLIC_HOST"] and not app.config.get("TRUSTED_HOSTS"):
        app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["PUBLIC_BASE_URL"]).hostname]


def register_clock(app: Flask) -> None:
    """Stop the clock where a testing configuration says, so a test server shares the tests' now."""
    from surgery import clock

    if app.testing and app.config.get("CLOCK_FROZEN_AT"):
        clock.freeze(app.config["CLOCK_FROZEN_AT"])


def register_logging(app: Flask) -> None:
    from surgery.logs import register

    register(app)


def register_extensions(app: Flask) -> None:
    import surgery.models  # noqa: F401  (every table on the metadata)
    from surgery.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    # Batch mode lets migrations alter tables on SQLite, which has little ALTER TABLE.
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)


def register_database_hooks(app: Flask) -> None:
    from surgery.database import enable_sqlite_foreign_keys

    enable_sqlite_foreign_keys()


def register_blueprints(app: Flask) -> None:
    from surgery.web import converters
    from surgery.web.admin import blueprint as admin
    from surgery.web.api import blueprint as api
    from surgery.web.devmail import blueprint as devmail
    from surgery.web.hosts import blueprint as hosts
    from surgery.web.public import blueprint as public
    from surgery.web.volunteers import blueprint as volunteers

    converters.register(app)  # before any route with an id is added
    for blueprint in (public, volunteers, hosts, admin, api):
        app.register_blueprint(blueprint)
    # The development mail page shows everyone's mail: it exists only in the embedded default.
    if app.config["DEV_MAIL_PAGE"]:
        app.register_blueprint(devmail)


def register_sign_in(app: Flask) -> None:
    from surgery.web.signing_in import register

    register(app)


def register_limits(app: Flask) -> None:
    from surgery.web.limits import register

    register(app)


def register_headers(app: Flask) -> None:
    from surgery.web.headers import register

    register(app)


def register_error_pages(app: Flask) -> None:
    from surgery.web.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from surgery.web import navigation
    from surgery.web.helpers import register

    register(app)
    navigation.register(app)


def register_commands(app: Flask) -> None:
    from surgery.cli import register

    register(app)
