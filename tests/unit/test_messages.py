"""An outbox row becomes an email that any mail app reads back as we meant it."""

from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest

from surgery.notify.messages import build_message
from tests.instants import NOW

CALENDAR = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n"


def row(**changes):
    values = {
        "recipient": "maya@example.org",
        "subject": "Your place at Café Moseley",
        "message_id": "<0123456789abcdef@surgery.invalid>",
        "created_at": NOW,
        "body_text": "Hello Maya,\n\nSee you at the café. " * 10,
        "body_html": "<p>Hello Maya, see you at the <b>café</b>.</p>",
        "calendar": None,
        "unsubscribe_url": None,
    }
    return SimpleNamespace(**(values | changes))


def read_back(notification, sender="Zoë at the Surgery <hello@surgery.invalid>"):
    raw = build_message(notification, sender).as_bytes()
    return message_from_bytes(raw, policy=policy.default)


def test_headers_and_both_parts_read_back_as_written():
    message = read_back(row())
    assert message["Subject"] == "Your place at Café Moseley"
    assert message["From"].addresses[0].display_name == "Zoë at the Surgery"
    assert message["To"] == "maya@example.org"
    assert message["Message-ID"] == "<0123456789abcdef@surgery.invalid>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_body(("plain",)).get_content() == row().body_text
    assert "<b>café</b>" in message.get_body(("html",)).get_content()
    assert message["List-Unsubscribe"] is None


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_an_invitation_is_an_attachment_whose_method_repeats_the_calendars(method):
    message = read_back(row(calendar=CALENDAR.replace("CANCEL", method)))
    (invitation,) = message.iter_attachments()
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_param("method") == method
    assert invitation.get_filename() == "invitation.ics"
    assert f"METHOD:{method}" in invitation.get_content()
    assert message.get_body(("plain",)).get_content().startswith("Hello Maya")


def test_a_message_a_reader_may_stop_carries_one_click_unsubscribe():
    message = read_back(row(unsubscribe_url="https://example.org/unsubscribe/a1-x"))
    assert message["List-Unsubscribe"] == "<https://example.org/unsubscribe/a1-x>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_line_break_in_a_header_is_refused_not_sent():
    with pytest.raises(ValueError, match="line break"):
        build_message(row(subject="Hello\r\nBcc: someone@example.org"), "hello@surgery.invalid")
