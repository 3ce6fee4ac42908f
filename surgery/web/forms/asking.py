"""The questions a group answers when it asks for help."""

from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from surgery.services.skills import active_skills
from surgery.vocabulary import AccessNeed, OrganisationKind
from surgery.web.fields import Checkboxes, DayField, Form, Radios, YesNo, at_most, options, strip
from surgery.web.forms.common import (
    LEVEL_CHOICES,
    LEVEL_HINTS,
    PostcodeForm,
    SkillsForm,
    TravelForm,
    availability_field,
)


class OrganisationForm(Form):
    organisation_name = StringField(
        "Name of your group or organisation",
        description="If you are asking just for yourself, write your own name or 'just me'.",
        validators=[InputRequired("Enter the name of your group"), at_most(120, "The name")],
        filters=[strip],
        render_kw={"autocomplete": "organization", "maxlength": 120},
    )
    organisation_kind = Radios(
        "What kind of group is it?",
        choices=options([(kind.value, kind.label) for kind in OrganisationKind]),
        validators=[InputRequired("Choose what kind of group it is")],
    )


# The matcher pairs on a shared skill, so "Something else" pairs with a volunteer who offered
# "Something else" too: the goal says what, and it may take longer than a named skill.
SOMETHING_ELSE_HINT = (
    "If you choose this, say what it is when we ask what you want to achieve. We look for a "
    "volunteer who can help with things not on this list, which may take longer than for a "
    "skill on it."
)


class AskSkillsForm(SkillsForm):
    """The skills, with what choosing "Something else" means for a group."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills.hints = {
            skill.id: SOMETHING_ELSE_HINT
            for skill in active_skills()
            if skill.slug == "something-else"
        }


class LevelForm(Form):
    level = Radios(
        "Where are you up to?",
        coerce=int,
        choices=options(LEVEL_CHOICES),
        hints=LEVEL_HINTS,
        validators=[InputRequired("Choose where you are up to")],
    )


class GoalForm(Form):
    goal = TextAreaField(
        "What do you want to achieve?",
        description=(
            "For example: 'Start a Facebook page so more families hear about our food bank.' "
            "If you chose Something else, say what it is. A sentence or two is plenty."
        ),
        validators=[
            InputRequired("Tell us what you want to achieve"),
            at_most(1000, "What you want to achieve"),
        ],
        filters=[strip],
        render_kw={"maxlength": 1000, "rows": 5},
    )


class WhenForm(Form):
    earliest_date = DayField(
        "The first date you could come",
        description="For example, 2 December 2026.",
        invalid_message="Enter the first date you could come as a real date",
        validators=[InputRequired("Enter the first date you could come")],
    )
    latest_date = DayField(
        "The last date you could come",
        invalid_message="Enter the last date you could come as a real date",
        validators=[InputRequired("Enter the last date you could come")],
    )
    availability = availability_field()


class AccessForm(Form):
    access_needs = Checkboxes(
        "Do you need any of these to take part?",
        description="Choose any that apply. We will look for a venue that has them.",
        choices=options([(need.value, need.label) for need in AccessNeed]),
        validators=[Optional()],
    )
    access_notes = TextAreaField(
        "Anything else we should know? (optional)",
        description=(
            "For example, 'I use a wheelchair' or 'I come with my carer'."
        ),
        validators=[Optional(), at_most(500, "What else we should know")],
        filters=[strip],
        render_kw={"maxlength": 500, "rows": 3},
    )


class ConsentForm(Form):
    consent_follow_up = YesNo(
        "Yes, email me after the session to ask how I got on",
        summary="Emails after the session",
        description=(
            "One email a week after, and one three months after. You can stop them at any time."
        ),
    )
    consent_share_story = YesNo(
        "Yes, you may share my group's story, without my name or contact details",
        summary="Sharing your group's story",
        description="It helps other groups, and the volunteers, see what a session can do.",
    )


class RequestDetailsForm(
    OrganisationForm,
    PostcodeForm,
    AskSkillsForm,
    LevelForm,
    GoalForm,
    TravelForm,
    WhenForm,
    AccessForm,
    ConsentForm,
):
    """Every question about the request on one page, for changing it later."""
