"""Form fields with the messages and hints our pages need."""

from datetime import date

from wtforms import BooleanField, DateField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget


class Radios(RadioField):
    """Radio buttons, each with an optional hint under its label."""

    def __init__(self, *args, hints: dict | None = None, **kwargs):
        kwargs.setdefault("invalid_choice_message", "Choose from the list")
        super().__init__(*args, **kwargs)
        self.hints = hints or {}


class Checkboxes(SelectMultipleField):
    """Checkboxes, each with an optional hint under its label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, hints: dict | None = None, **kwargs):
        kwargs.setdefault("invalid_choice_message", "Choose from the list")
        super().__init__(*args, **kwargs)
        self.hints = hints or {}


class YesNo(BooleanField):
    """A tick box; `summary` names the question on the check-your-answers page."""

    def __init__(self, *args, summary: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.summary = summary


class DayField(DateField):
    """A date, with a plain-English message when what was typed is not one."""

    def __init__(self, *args, invalid_message: str = "Enter a real date", **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist) -> None:
        if not "".join(valuelist).strip():
            self.data = None  # left empty: the required check says so, once
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(self.invalid_message) from error

    def process_data(self, value) -> None:
        # Drafts keep dates as ISO text.
        super().process_data(date.fromisoformat(value) if isinstance(value, str) else value)

    def _value(self) -> str:
        return self.data.isoformat() if isinstance(self.data, date) else super()._value()


def at_most(limit: int, what: str) -> Length:
    """A length limit whose message names the thing and the limit."""
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choices WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value
