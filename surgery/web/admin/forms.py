"""Forms only admins see."""

from wtforms import HiddenField
from wtforms.validators import InputRequired

from surgery.web.fields import Form, at_most
from surgery.web.forms.common import EmailForm


class FindPersonalDataForm(EmailForm):
    """The address a person asks about: what we hold about it, to give them or erase."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email.label.text = "Their email address"
        self.email.description = "The address they gave us, or that their request came from."


class PersonalDataActionForm(Form):
    """A button on the found page: the address travels in the body, never in a URL or a log."""

    email = HiddenField(validators=[InputRequired(), at_most(254, "The address")])
    # Set only by the "are you sure?" page's button.
    confirmed = HiddenField()
