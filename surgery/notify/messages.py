"""Render an email's subject, plain-text and HTML parts, and turn an outbox row into a message."""

import functools
from dataclasses import dataclass
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime

from flask import render_template
from icalendar import Calendar


class QuickHeaders(EmailPolicy):
    """The default policy, made fast enough to send hundreds of messages a second.

    The email package refolds every header it writes from a parse of its value; a short,
    printable ASCII value can go as it is (the bytes are the same: a test checks).
    """

    def fold_binary(self, name: str, value) -> bytes:
        text = str(value)
        if text.isascii() and text.isprintable() and len(name) + len(text) + 2 <= self.limit:
            return f"{name}: {text}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)

    @property
    def limit(self) -> int:
        return self.max_line_length or 998


class OnceHeaderRegistry(HeaderRegistry):
    """The registry makes a new class each time it is asked for a header's; make each once."""

    @functools.cache  # noqa: B019  (one registry for the process: nothing is kept alive)
    def __getitem__(self, name: str):
        return super().__getitem__(name)


POLICY = QuickHeaders(header_factory=OnceHeaderRegistry())


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_email(template: str, subject: str, **context) -> RenderedEmail:
    """Render templates/email/<template>.txt and .html; Jinja escapes the .html part."""
    # A header cannot hold a line break: any in a title someone typed become spaces.
    subject = " ".join(subject.split())[:200]
    context = {"subject": subject, **context}
    return RenderedEmail(
        subject=subject,
        text=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
    )


def build_message(notification, sender: str) -> EmailMessage:
    """Return the email for an outbox row: both parts, its stable Message-ID and its headers."""
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = notification.recipient
    message["Subject"] = notification.subject
    message["Message-ID"] = notification.message_id
    message["Date"] = format_datetime(notification.created_at)
    message["Auto-Submitted"] = "auto-generated"
    if notification.unsubscribe_url:
        # One-click unsubscribe (RFC 8058): mail apps POST to the address, no page, no cookie.
        message["List-Unsubscribe"] = f"<{notification.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(notification.body_text)
    message.add_alternative(notification.body_html, subtype="html")
    if notification.calendar:
        attach_calendar(message, notification.calendar)
    return message


def attach_calendar(message: EmailMessage, ics: str) -> None:
    """Attach an invitation so mail apps offer to add, update or remove the event.

    The part's method parameter must repeat the calendar's METHOD (RFC 6047).
    """
    method = str(Calendar.from_ical(ics)["METHOD"])
    message.add_attachment(
        ics.encode(),
        maintype="text",
        subtype="calendar",
        filename="invitation.ics",
        params={"method": method, "charset": "utf-8"},
    )
