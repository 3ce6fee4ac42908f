"""Values every template can use."""

from flask import Flask

SERVICE_NAME = "Social Media Surgery"


def register(app: Flask) -> None:
    """Give templates the service name."""

    @app.context_processor
    def service_globals() -> dict:
        return {"service_name": SERVICE_NAME}
