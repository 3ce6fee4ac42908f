"""Our messages' fast policy writes exactly the bytes the email package's default policy would."""

from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from surgery.notify.messages import POLICY

CALENDAR = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def message(subject: str, sender: str = "Social Media Surgery <hello@surgery.invalid>"):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "maya@example.org"
    message["Subject"] = subject
    message["Message-ID"] = "<0123456789abcdef@surgery.invalid>"
    message["Date"] = format_datetime(datetime(2026, 11, 25, 10, tzinfo=UTC))
    message.set_content("Hello Maya,\n\nHere is your link.\n")
    message.add_alternative("<p>Hello Maya, here is <a href='x'>your link</a>.</p>", subtype="html")
    return message


@pytest.mark.parametrize(
    "subject",
    [
        "Your new private link",
        "Your place at Café Moseley",  # encoded
        "A subject long enough that it has to be folded onto a second line by the generator, twice",
        "Tab\there",
    ],
)
def test_the_quick_policy_writes_the_same_bytes_as_the_default(subject):
    zoe = "Zoë at the Surgery <hello@surgery.invalid>"
    for sample in (message(subject), message(subject, zoe)):
        sample.add_attachment(CALENDAR.encode(), "text", "calendar", filename="invitation.ics")
        standard = sample.as_bytes(policy=policy.default.clone(linesep="\r\n"))
        quick = sample.as_bytes(policy=POLICY.clone(linesep="\r\n"))
        assert quick == standard
