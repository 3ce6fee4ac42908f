"""The questions a volunteer answers when they offer to help."""

from wtforms import TextAreaField
from wtforms.validators import InputRequired, Optional

from surgery.vocabulary import Level
from surgery.web.fields import Checkboxes, Form, at_most, options, strip
from surgery.web.forms.common import (
    LEVEL_CHOICES,
    AvailabilityForm,
    NameForm,
    PostcodeForm,
    SkillsForm,
    TravelForm,
)

# A volunteer reads each level as the groups they would help, not as words spoken to a group.
VOLUNTEER_LEVEL_HINTS = {level.value: level.explanation_for_volunteers for level in Level}


class LevelsForm(Form):
    levels = Checkboxes(
        "Which groups would you like to help?",
        description="Choose all that apply.",
        coerce=int,
        choices=options(LEVEL_CHOICES),
        hints=VOLUNTEER_LEVEL_HINTS,
        validators=[InputRequired("Choose at least one kind of group you would like to help")],
    )


class BioForm(Form):
    bio = TextAreaField(
        "Tell groups a little about yourself (optional)",
        description=(
            "What you do, and what you like helping with. Groups see your first name and this."
        ),
        validators=[Optional(), at_most(500, "What you tell groups about yourself")],
        filters=[strip],
        render_kw={"maxlength": 500, "rows": 4},
    )


class OfferDetailsForm(
    NameForm, PostcodeForm, SkillsForm, LevelsForm, TravelForm, AvailabilityForm, BioForm
):
    """Every question about the offer on one page, for changing it later."""
