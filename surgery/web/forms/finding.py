"""The session finder's search box: a GET form, so results can be bookmarked and shared."""

from wtforms import SelectField, StringField
from wtforms.validators import InputRequired

from surgery.services.finding import WITHIN_CHOICES
from surgery.services.places import tidy_postcode
from surgery.web.fields import Form, at_most, options, strip

CHOOSE_HOW_FAR = "Choose how far you can travel from the list"


class FinderForm(Form):
    class Meta:
        csrf = False  # a search changes nothing

    postcode = StringField(
        "Your postcode",
        description="A full postcode, like B15 2TT, or just the first part, like B15.",
        validators=[InputRequired("Enter a postcode to search near"), at_most(10, "A postcode")],
        filters=[strip, tidy_postcode],
        render_kw={"maxlength": 10, "class": "input--short", "autocomplete": "postal-code"},
    )
    within_km = SelectField(
        "How far away",
        coerce=int,
        default=10,
        choices=options([(km, f"Within {km} km") for km in WITHIN_CHOICES]),
        # A distance typed into the address, not chosen from the list.
        invalid_value_message=CHOOSE_HOW_FAR,
        invalid_choice_message=CHOOSE_HOW_FAR,
    )
