"""The form a host invites volunteers with, from the "where next" page."""

from wtforms import HiddenField
from wtforms.validators import InputRequired

from surgery.web.fields import Checkboxes, Form, Radios, at_most


class InviteForm(Form):
    """Choose volunteers near a district and one session to invite them to; the view fills in
    the choices (the volunteers within reach, the sessions this account may invite to)."""

    district = HiddenField(validators=[InputRequired(), at_most(4, "A district")])
    volunteer_ids = Checkboxes(
        "Who would you like to invite?",
        coerce=int,
        description="We email each of them once about a session: never twice for the same one.",
        validators=[InputRequired("Choose at least one volunteer to invite")],
    )
    session_id = Radios(
        "Which session are you inviting them to?",
        coerce=int,
        validators=[InputRequired("Choose a session to invite them to")],
    )
