"""Render an email's subject, plain-text and HTML parts, and turn an outbox row into a message."""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from flask import render_template


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
    message = EmailMessage()
    message["From"] = sender
    message["To"] = notification.recipient
    message["Subject"] = notification.subject
    message["Message-ID"] = notification.message_id
    message["Date"] = format_datetime(notification.created_at)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(notification.body_text)
    message.add_alternative(notification.body_html, subtype="html")
    return message
