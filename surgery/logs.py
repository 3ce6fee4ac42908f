"""Structured logs: one JSON object a line, for the outbox's events; never personal data."""

import json
import logging
import sys
from datetime import UTC, datetime

from flask import Flask

# Every record has these; anything else on a record came from `extra=` and goes in the object.
STANDARD_ATTRIBUTES = {
    *vars(logging.LogRecord("", 0, "", 0, "", None, None)),
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, event and the record's extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update((k, v) for k, v in vars(record).items() if k not in STANDARD_ATTRIBUTES)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def register(app: Flask) -> None:
    """Log the app's own events as JSON lines on stderr, unless logging is configured already."""
    logger = logging.getLogger(app.name)
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # Not also through a handler someone adds to the root logger later, which would repeat it.
    logger.propagate = False
