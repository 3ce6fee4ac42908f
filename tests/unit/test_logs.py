"""Structured logs: one JSON object a line, set up only where nobody has set up logging."""

import json
import logging
from types import SimpleNamespace

from surgery.logs import JsonFormatter, register


def test_a_record_becomes_one_line_of_json_with_its_extra_fields():
    record = logging.LogRecord("surgery.x", logging.WARNING, __file__, 1, "retrying", None, None)
    record.notification_id, record.error = 7, "SMTPServerDisconnected"
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["event"] == "retrying" and entry["level"] == "WARNING"
    assert entry["logger"] == "surgery.x" and entry["time"].endswith("+00:00")
    assert (entry["notification_id"], entry["error"]) == (7, "SMTPServerDisconnected")
    assert "msg" not in entry and "args" not in entry


def test_json_logs_are_set_up_where_logging_is_not(monkeypatch):
    logger = logging.getLogger("surgery-test")
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    register(SimpleNamespace(name="surgery-test"))
    try:
        (handler,) = logger.handlers
        assert isinstance(handler.formatter, JsonFormatter)
        assert logger.level == logging.INFO and logger.propagate is False
        register(SimpleNamespace(name="surgery-test"))
        assert logger.handlers == [handler]
    finally:
        logger.handlers.clear()


def test_logging_someone_set_up_is_left_alone(monkeypatch):
    monkeypatch.setattr(logging.getLogger(), "handlers", [logging.NullHandler()])
    register(SimpleNamespace(name="surgery-test-configured"))
    logger = logging.getLogger("surgery-test-configured")
    assert logger.handlers == [] and logger.propagate is True
