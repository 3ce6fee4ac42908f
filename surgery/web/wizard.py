"""Multi-step questions, one idea per page, then "Check your answers", as GOV.UK does them.

A Journey is data: its steps, each a form class and the question it asks. The answers live in a
server-side draft between steps, so a long answer never outgrows a cookie and nothing is lost.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import abort, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField

from surgery.clock import utcnow
from surgery.services import drafts
from surgery.services.errors import InvalidAnswers
from surgery.web.fields import CONTROL_CHARACTERS_IN_LINES, Checkboxes, DayField, Form, Radios

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[FlaskForm]
    title: str
    # A service check for answers that need the database or the postcode index.
    check: Callable[[dict], None] | None = None


@dataclass(frozen=True)
class Journey:
    name: str
    blueprint: str
    steps: tuple[Step, ...]
    # Turns the complete answers into a service call; raises InvalidAnswers.
    submit: Callable[[dict], None]

    def step(self, slug: str) -> Step:
        return next((step for step in self.steps if step.slug == slug), None) or abort(404)

    def after(self, step: Step) -> Step | None:
        index = self.steps.index(step)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def before(self, step: Step) -> Step | None:
        index = self.steps.index(step)
        return self.steps[index - 1] if index else None

    def first_unanswered(self, answers: dict) -> Step | None:
        """Return the first step whose answers are missing, or unfit to keep."""
        return next((s for s in self.steps if not answered(s, answers)), None)

    def step_for_field(self, name: str) -> Step:
        return next(s for s in self.steps if name in field_names(s.form))

    def url(self, endpoint: str, **values) -> str:
        """Return the URL of this journey's start, step, check or sent page."""
        return url_for(f"{self.blueprint}.{self.name}_{endpoint}", **values)

    @property
    def draft_key(self) -> str:
        return f"draft:{self.name}"


def answered(step: Step, answers: dict) -> bool:
    """Whether the draft holds an answer to each of the step's questions, with no control
    character in any: a draft saved before the forms refused them must be answered again."""
    names = field_names(step.form)
    if not set(names) <= answers.keys():
        return False
    texts = [text for name in names for text in texts_in(answers[name])]
    return not any(CONTROL_CHARACTERS_IN_LINES.search(text) for text in texts)


def texts_in(answer) -> list[str]:
    if isinstance(answer, str):
        return [answer]
    return [item for item in answer if isinstance(item, str)] if isinstance(answer, list) else []


def field_names(form_class: type[FlaskForm]) -> list[str]:
    return [name for name in form_class()._fields if name != "csrf_token"]


def answers_from(form: FlaskForm) -> dict:
    """Return the form's answers as JSON-ready values."""
    return {
        name: field.data.isoformat() if isinstance(field.data, date) else field.data
        for name, field in form._fields.items()
        if name != "csrf_token"
    }


def show_step(journey: Journey, slug: str):
    """Ask one step's question; on a good answer save it and go on (or back to the check page)."""
    step = journey.step(slug)
    # On a POST only what was sent counts: an unticked box must not fall back to the draft.
    if request.method == "POST":
        form = step.form()
    else:
        form = step.form(data=drafts.load_answers(session.get(journey.draft_key), journey.name))
    if form.validate_on_submit() and passes_check(step, form):
        session[journey.draft_key] = drafts.save_answers(
            session.get(journey.draft_key), journey.name, answers_from(form), utcnow()
        )
        following = journey.after(step)
        if request.args.get("change") or following is None:
            return redirect(journey.url("check"))
        return redirect(journey.url("step", slug=following.slug))
    previous = journey.before(step)
    back = journey.url("step", slug=previous.slug) if previous else journey.url("start")
    return render_template("wizard/step.html", journey=journey, step=step, form=form, back=back)


def passes_check(step: Step, form: FlaskForm) -> bool:
    """Run the step's service check, putting any messages on the form's fields."""
    if step.check is None:
        return True
    try:
        step.check(answers_from(form))
    except InvalidAnswers as error:
        show_errors(form, error)
        return False
    return True


def show_errors(form: FlaskForm, error: InvalidAnswers) -> None:
    """Put a service's messages on the form's fields, beside any the form found itself."""
    for name, message in error.errors.items():
        form[name].errors = [*form[name].errors, message]


def show_check(journey: Journey):
    """Show every answer with a way to change it; on POST send them through the service."""
    draft_id = session.get(journey.draft_key)
    answers = drafts.load_answers(draft_id, journey.name)
    missing = journey.first_unanswered(answers)
    if missing:
        return redirect(journey.url("step", slug=missing.slug))
    form, errors = Form(), {}
    if form.validate_on_submit():
        try:
            journey.submit(answers)
        except InvalidAnswers as error:
            errors = error.errors
        else:
            drafts.discard(draft_id)
            session.pop(journey.draft_key, None)
            return redirect(journey.url("sent"))
    return render_template(
        "wizard/check.html",
        journey=journey,
        form=form,
        rows=summary_rows(journey, answers),
        errors=[(journey.step_for_field(name), message) for name, message in errors.items()],
    )


@dataclass(frozen=True)
class SummaryRow:
    step: Step
    label: str
    value: str


def summary_rows(journey: Journey, answers: dict) -> list[SummaryRow]:
    """Return a row per question: its label and the answer as a person would say it."""
    rows = []
    for step in journey.steps:
        form, names = step.form(formdata=None, data=answers), field_names(step.form)
        for name in names:
            label = getattr(form[name], "summary", "") or form[name].label.text
            label = step.title if len(names) == 1 else label
            rows.append(SummaryRow(step, label, display(form[name])))
    return rows


def display(field) -> str:
    """Say a field's answer in words: choice labels, Yes/No, a date in full."""
    if isinstance(field, Checkboxes):
        chosen = [choice.label for choice in field.choices if choice.value in (field.data or [])]
        return ", ".join(chosen) or "None"
    if isinstance(field, Radios):
        labels = {choice.value: choice.label for choice in field.choices}
        return labels.get(field.data, NOT_GIVEN)
    if isinstance(field, BooleanField):
        return "Yes" if field.data else "No"
    if isinstance(field, DayField):
        return f"{field.data:%-d %B %Y}" if field.data else NOT_GIVEN
    return str(field.data) if field.data else NOT_GIVEN
