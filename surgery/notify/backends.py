"""Mail backends: SMTP, or none at all (mail stays in the outbox)."""

import smtplib
import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from enum import StrEnum


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # 4xx replies and lost connections: worth trying again later
    FAILED = "failed"  # 5xx replies: trying again will not help


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Outcome
    detail: str = ""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "none"  # "starttls", "ssl" or "none"
    username: str = ""
    password: str = ""
    timeout: float = 20.0


class SmtpBackend:
    """Send a batch of messages over one SMTP connection."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    def send(self, messages: Iterable[Message]) -> Iterator[DeliveryResult]:
        """Yield one result per message, in order; a lost connection marks the rest for retry.

        Lazily: each message is sent only when its result is asked for, so the caller records
        one message's result before the next is sent (a crash then repeats at most one).
        """
        messages = list(messages)
        try:
            with self._connect() as connection:
                for message in messages:
                    yield send_one(connection, message)
        except (OSError, smtplib.SMTPException) as error:
            # Messages already yielded have their results; the caller retries those left over.
            yield from (DeliveryResult(Outcome.RETRY, describe(error)) for _ in messages)

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        if settings.security == "ssl":
            context = ssl.create_default_context()
            connection = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            if settings.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
        if settings.username:
            connection.login(settings.username, settings.password)
        return connection


def send_one(connection: smtplib.SMTP, message: Message) -> DeliveryResult:
    """Send one message; classify an SMTP refusal as worth retrying or not."""
    try:
        connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        code = min(code for code, _ in error.recipients.values())
        return refusal(code, error)
    except smtplib.SMTPResponseException as error:
        return refusal(error.smtp_code, error)
    return DeliveryResult(Outcome.SENT)


def refusal(code: int, error: Exception) -> DeliveryResult:
    outcome = Outcome.FAILED if code >= 500 else Outcome.RETRY
    return DeliveryResult(outcome, describe(error, code))


def describe(error: Exception, code: int | None = None) -> str:
    """A short description of what went wrong for the outbox row: no address, no message text."""
    code = code or getattr(error, "smtp_code", None)
    return f"{type(error).__name__}{f' {code}' if code else ''}"
