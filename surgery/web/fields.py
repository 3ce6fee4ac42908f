"""Form fields with the messages and hints our pages need, and the base every form of ours uses."""

import re
from datetime import date

from flask import has_request_context, request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto  # Flask-WTF's "read the request" marker
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectChoice, SelectFieldBase
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

CHOOSE_FROM_THE_LIST = "Choose from the list"
# C0 controls, DEL and C1 controls. PostgreSQL cannot store a NUL at all; the others are
# invisible, reorder or recolour what people read, and have no place in a name or a note.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Text over several lines may keep its tabs and line breaks (\r\n is how browsers send them).
CONTROL_CHARACTERS_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Form(FlaskForm):
    """Every form of ours: blank answers count as not given, text holds no control character,
    and the answers come from the HTML form only."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto and has_request_context() and request.is_json:
                # Flask-WTF would read a JSON body as the form, whatever its shape; ours are
                # HTML forms, so such a body answers nothing.
                formdata = request.form if request.method != "GET" else None
            formdata = super().wrap_formdata(form, formdata)
            return None if formdata is None else without_blank_text(form, formdata)

        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField) and not isinstance(field, CSRFTokenField):
                field.validators = [*field.validators, plain_text]
            return field

        def render_field(self, field, render_kw):
            if isinstance(field, CSRFTokenField):
                # A page of many small forms renders this hidden field in each; no label points
                # at it, so it goes without an id rather than repeat one (id=False omits it).
                render_kw = {"id": False, **render_kw}
            return super().render_field(field, render_kw)


def without_blank_text(form: FlaskForm, formdata) -> MultiDict:
    """Drop answers of only spaces to questions other than choices, so that "Enter …" says they
    are missing; a blank choice stays, to be refused as not on the list."""
    choices = {field.name for field in form if isinstance(field, SelectFieldBase)}
    return MultiDict(
        (name, value)
        for name, value in formdata.items(multi=True)
        if name in choices or not isinstance(value, str) or value.strip()
    )


def plain_text(form, field) -> None:
    """Refuse text holding a control character (tabs and line breaks only in text areas)."""
    multiline = isinstance(field, TextAreaField)
    pattern = CONTROL_CHARACTERS_IN_LINES if multiline else CONTROL_CHARACTERS
    if isinstance(field.data, str) and pattern.search(field.data):
        raise ValidationError(
            f"{what_it_is(field)} contains a hidden character we cannot keep, such as "
            f"{'a control character' if multiline else 'a tab or a line break'}. "
            "Delete it, or type the answer again rather than pasting it."
        )


def what_it_is(field) -> str:
    """The words a field's length limit names it by ("Your name"), else "This answer"."""
    return next((v.what for v in field.validators if isinstance(v, TextLimit)), "This answer")


class ChoiceCheck:
    """A choice field whose answer must be on its list even when the question is optional."""

    def post_validate(self, form, validation_stopped: bool) -> None:
        # Optional() stops the checks and wipes the "not on the list" message for an answer of
        # spaces; an answer was given all the same, and it is not one of the choices.
        if validation_stopped and self.raw_data and not self.errors and self.validate_choice:
            if self.process_errors:
                raise ValidationError(self.process_errors[0])
            self.pre_validate(form)


class Radios(ChoiceCheck, RadioField):
    """Radio buttons, each with an optional hint under its label."""

    def __init__(self, *args, hints: dict | None = None, **kwargs):
        kwargs.setdefault("invalid_choice_message", CHOOSE_FROM_THE_LIST)
        kwargs.setdefault("invalid_value_message", CHOOSE_FROM_THE_LIST)
        super().__init__(*args, **kwargs)
        self.hints = hints or {}


class Checkboxes(ChoiceCheck, SelectMultipleField):
    """Checkboxes, each with an optional hint under its label."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, hints: dict | None = None, **kwargs):
        kwargs.setdefault("invalid_choice_message", CHOOSE_FROM_THE_LIST)
        kwargs.setdefault("invalid_value_message", CHOOSE_FROM_THE_LIST)
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


class TextLimit(Length):
    """A length limit that knows what it limits, so other messages can name it too."""

    def __init__(self, limit: int, what: str):
        super().__init__(max=limit, message=f"{what} must be {limit:,} characters or fewer")
        self.what = what


def at_most(limit: int, what: str) -> TextLimit:
    """A length limit whose message names the thing and the limit."""
    return TextLimit(limit, what)


def options(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs into the choices WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    # A browser sends a line break as "\r\n"; the character count, like a reader, sees one.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value
