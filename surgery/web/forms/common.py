"""Questions both groups and volunteers answer."""

from wtforms import EmailField, StringField, TelField
from wtforms.validators import Email, InputRequired, Optional, Regexp

from surgery.services.answers import place_for
from surgery.services.places import tidy_postcode
from surgery.services.skills import active_skills
from surgery.vocabulary import Availability, Level
from surgery.web.fields import Checkboxes, Form, Radios, at_most, options, strip

TRAVEL_CHOICES = [
    (2, "Up to 2 km, about a 25-minute walk"),
    (5, "Up to 5 km"),
    (10, "Up to 10 km"),
    (20, "Up to 20 km"),
    (40, "Up to 40 km"),
]
# The four levels as every form offers them: the title to choose, the explanation beneath it.
LEVEL_CHOICES = [(level.value, level.title) for level in Level]
LEVEL_HINTS = {level.value: level.explanation for level in Level}
POSTCODE_HINT = (
    "Your full postcode, like B15 2TT, or just the first part, like B15, if you prefer. "
    "We never show your full postcode to anyone."
)


class NameForm(Form):
    name = StringField(
        "Your name",
        validators=[InputRequired("Enter your name"), at_most(100, "Your name")],
        filters=[strip],
        render_kw={"autocomplete": "name", "maxlength": 100},
    )


class EmailForm(Form):
    email = EmailField(
        "Email address",
        description="We will only use it to send you emails about this.",
        validators=[
            InputRequired("Enter your email address"),
            at_most(254, "Your email address"),
            Email("Enter an email address in the right format, like name@example.com"),
        ],
        filters=[strip],
        render_kw={"autocomplete": "email", "spellcheck": "false", "maxlength": 254},
    )


class PhoneForm(Form):
    phone = TelField(
        "Phone number (optional)",
        description="In case the host needs to reach you on the day.",
        validators=[
            Optional(),
            at_most(30, "Your phone number"),
            Regexp(r"^\+?[0-9 ()-]{7,30}$", message="Enter a phone number, like 0121 496 0000"),
        ],
        filters=[strip],
        render_kw={"autocomplete": "tel", "maxlength": 30},
    )


class PostcodeForm(Form):
    postcode = StringField(
        "What is your postcode?",
        description=POSTCODE_HINT,
        validators=[InputRequired("Enter your postcode"), at_most(10, "A postcode")],
        filters=[strip, tidy_postcode],
        render_kw={"autocomplete": "postal-code", "maxlength": 10, "class": "input--short"},
    )


class SkillsForm(Form):
    skills = Checkboxes(
        "What would you like help with?",
        description="Choose all that apply.",
        coerce=int,
        validators=[InputRequired("Choose at least one thing from the list")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills.choices = options((skill.id, skill.name) for skill in active_skills())


class TravelForm(Form):
    travel_km = Radios(
        "How far can you travel to a session?",
        description="As the crow flies, from your postcode.",
        coerce=int,
        choices=options(TRAVEL_CHOICES),
        validators=[InputRequired("Choose how far you can travel")],
    )


def availability_field() -> Checkboxes:
    """A new field each time, so a form can place it after its own questions."""
    return Checkboxes(
        "When can you usually come?",
        description="Choose all that apply.",
        choices=options([(choice.value, choice.label) for choice in Availability]),
        validators=[InputRequired("Choose at least one time you can come")],
    )


class AvailabilityForm(Form):
    availability = availability_field()


def postcode_is_known(answers: dict) -> None:
    """The postcode step's check: raise InvalidAnswers unless the index can place it."""
    place_for(answers["postcode"])


class ContactForm(NameForm, EmailForm, PhoneForm):
    """Name, email and an optional phone number."""


class LostLinkForm(EmailForm):
    """A volunteer asks for their manage link again."""
