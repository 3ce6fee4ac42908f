"""The forms a host fills in to create, change, cancel and run a session."""

from wtforms import IntegerField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from surgery.models import Booking
from surgery.services.skills import active_skills
from surgery.vocabulary import AccessNeed
from surgery.web.fields import Checkboxes, DayField, Form, Radios, YesNo, at_most, options, strip
from surgery.web.forms.common import LEVEL_CHOICES, EmailForm


class SessionForm(Form):
    title = StringField(
        "Title",
        description="For example, 'Moseley social media surgery'.",
        validators=[InputRequired("Enter a title"), at_most(120, "The title")],
        filters=[strip],
        render_kw={"maxlength": 120},
    )
    venue_name = StringField(
        "Venue",
        validators=[InputRequired("Enter the venue's name"), at_most(120, "The venue's name")],
        filters=[strip],
        render_kw={"maxlength": 120},
    )
    venue_address = TextAreaField(
        "Venue address",
        validators=[InputRequired("Enter the venue's address"), at_most(300, "The address")],
        filters=[strip],
        render_kw={"maxlength": 300, "rows": 3},
    )
    postcode = StringField(
        "Venue postcode",
        description="The venue's full postcode, like B13 8JP: groups see how far it is from them.",
        validators=[InputRequired("Enter the venue's postcode"), at_most(10, "A postcode")],
        filters=[strip],
        render_kw={"maxlength": 10, "class": "input--short", "autocomplete": "postal-code"},
    )
    day = DayField(
        "Date",
        invalid_message="Enter the date as a real date",
        validators=[InputRequired("Enter the date")],
    )
    starts = TimeField(
        "Start time (UK time)", validators=[InputRequired("Enter a start time, like 18:00")]
    )
    ends = TimeField("End time (UK time)", validators=[InputRequired("Enter an end time")])
    seats = IntegerField(
        "Tables for groups",
        description="How many groups can be helped at once.",
        validators=[
            InputRequired("Enter how many tables there are"),
            NumberRange(1, 100, "Enter a number of tables from 1 to 100"),
        ],
        render_kw={"class": "input--short", "inputmode": "numeric"},
    )
    level_focus = Radios(
        "Is the session pitched at one level? (optional)",
        coerce=int,
        choices=options([(0, "Any level"), *LEVEL_CHOICES]),
        default=0,
        validators=[Optional()],
    )
    partners = StringField(
        "Partners (optional)",
        validators=[Optional(), at_most(300, "Partners")],
        filters=[strip],
        render_kw={"maxlength": 300},
    )
    access = Checkboxes(
        "What does the venue have?",
        choices=options([(need.value, need.label) for need in AccessNeed]),
        validators=[Optional()],
    )
    access_notes = TextAreaField(
        "Anything else about access (optional)",
        validators=[Optional(), at_most(500, "This")],
        filters=[strip],
        render_kw={"maxlength": 500, "rows": 2},
    )
    volunteer_notes = TextAreaField(
        "Notes for volunteers (optional)",
        description="Only volunteers who sign up see these.",
        validators=[Optional(), at_most(2000, "The notes")],
        filters=[strip],
        render_kw={"maxlength": 2000, "rows": 3},
    )
    requires_safeguarding = YesNo(
        "Only volunteers with a safeguarding check",
        description="Tick this if the groups here include children or adults at risk. "
        "Volunteers are paired here only once an admin has recorded their check.",
    )
    auto_confirm = YesNo(
        "Agree the matcher's pairings for me",
        description="Groups and volunteers are told as soon as the matcher pairs them, "
        "without waiting for you to review each pairing.",
    )
    free_unanswered = YesNo(
        "Give away the tables of groups that do not say they are still coming",
        description="Two days before, each group is asked if it is still coming. Tick this and "
        "a group that has not answered a day before loses its table to the next group.",
    )


class CancelSessionForm(Form):
    reason = TextAreaField(
        "Why are you cancelling it?",
        description="We put this in the email to each group and volunteer. For example, "
        "'The venue has had a flood and is closed this week.'",
        # After the strip filter, so that spaces alone are not a reason.
        validators=[
            DataRequired("Enter why you are cancelling the session"),
            at_most(500, "The reason"),
        ],
        filters=[strip],
        render_kw={"maxlength": 500, "rows": 4},
    )


class CoHostForm(EmailForm):
    """Add another approved host to a session."""


class OutcomeForm(Form):
    """Check-in and outcome for one booked group; its prefix keeps ids unique on the run sheet."""

    attended = Radios(
        "Did they come?",
        choices=options([("yes", "Yes, they came"), ("no", "No, they did not come")]),
        validators=[InputRequired("Say whether they came")],
    )
    skills = Checkboxes("What was covered?", coerce=int, validators=[Optional()])
    note = TextAreaField(
        "Note (optional)",
        validators=[Optional(), at_most(1000, "The note")],
        filters=[strip],
        render_kw={"maxlength": 1000, "rows": 2},
    )


class WalkInForm(Form):
    """A group that turned up without asking online."""

    name = StringField(
        "Their name",
        validators=[InputRequired("Enter their name"), at_most(100, "The name")],
        filters=[strip],
        render_kw={"maxlength": 100},
    )
    organisation_name = StringField(
        "Their group",
        validators=[InputRequired("Enter their group's name"), at_most(120, "The group's name")],
        filters=[strip],
        render_kw={"maxlength": 120},
    )
    skills = Checkboxes(
        "What do they want help with?",
        coerce=int,
        validators=[InputRequired("Choose at least one thing")],
    )
    level = Radios(
        "Where are they up to?",
        coerce=int,
        choices=options(LEVEL_CHOICES),
        validators=[InputRequired("Choose where they are up to")],
    )
    volunteer = Radios(
        "Pair them with a volunteer (optional)",
        description="Only the volunteers here with room for another group are listed.",
        coerce=int,
        default=0,
        # The service says whether the volunteer chosen still has room.
        validate_choice=False,
        validators=[Optional()],
    )

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.skills.choices = options((skill.id, skill.name) for skill in active_skills())
        self.volunteer.choices = options(
            [(0, "No one yet")] + [(room.signup.id, room.signup.volunteer.name) for room in rooms]
        )
        self.volunteer.hints = {room.signup.id: room_hint(room) for room in rooms}


def room_hint(room) -> str:
    skills = ", ".join(skill.name for skill in room.signup.volunteer.skills)
    more = f"{room.groups_left} more group{'' if room.groups_left == 1 else 's'}"
    return f"Knows {skills}; can take {more}"


def outcome_form(booking: Booking, **kwargs) -> OutcomeForm:
    """The check-in form for one booked group, offering the skills that group asked for."""
    form = OutcomeForm(prefix=f"b{booking.id}", **kwargs)
    form.skills.choices = options((s.id, s.name) for s in booking.help_request.skills)
    return form


def outcome_form_for_page(booking: Booking) -> OutcomeForm:
    outcome = booking.outcome
    if outcome is None:
        return outcome_form(booking, formdata=None)
    data = {
        "attended": "yes" if outcome.attended else "no",
        "skills": outcome.skills_covered,
        "note": outcome.note,
    }
    return outcome_form(booking, formdata=None, data=data)
