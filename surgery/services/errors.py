"""Errors the services raise for the web layer to show to people."""


class InvalidAnswers(Exception):
    """Answers that break a rule; `errors` maps each field name to a message for people."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(errors))
        self.errors = errors
