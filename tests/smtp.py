"""A real SMTP server for tests: aiosmtpd on a free loopback port, keeping each message."""

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """Receives mail on 127.0.0.1; `refuse` makes it answer RCPT with a given reply instead."""

    def __init__(self):
        self.hostname, self.port = "127.0.0.1", free_port()
        self.received: list[EmailMessage] = []
        self.refuse: str | None = None
        self.controller = Controller(self, hostname=self.hostname, port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    async def handle_RCPT(self, server, session, envelope: Envelope, address: str, options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.received if message["To"] == address]

    def text_of(self, message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def html_of(self, message: EmailMessage) -> str:
        return message.get_body(preferencelist=("html",)).get_content()
