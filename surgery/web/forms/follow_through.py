"""What a group answers after its session."""

from wtforms import TextAreaField
from wtforms.validators import InputRequired, Optional

from surgery.models import GotGoing
from surgery.web.fields import Form, Radios, YesNo, at_most, options, strip


class GotGoingForm(Form):
    """A week on."""

    got_going = Radios(
        "Did you get going with what you wanted to do?",
        choices=options([(answer.value, answer.label) for answer in GotGoing]),
        validators=[InputRequired("Choose yes, partly or not yet")],
    )
    line = TextAreaField(
        "Anything you would like to tell us? (optional)",
        validators=[Optional(), at_most(300, "This")],
        filters=[strip],
        render_kw={"maxlength": 300, "rows": 2},
    )

    def answers(self) -> dict:
        return {"got_going": GotGoing(self.got_going.data), "line": self.line.data or ""}


CHANGE_SCALE = [
    (1, "1: nothing has changed"),
    (2, "2: a little"),
    (3, "3: some things"),
    (4, "4: quite a lot"),
    (5, "5: a great deal"),
]


class WhatChangedForm(Form):
    """Three months on."""

    change_scale = Radios(
        "How much has changed for your group since the session?",
        coerce=int,
        choices=options(CHANGE_SCALE),
        validators=[InputRequired("Choose a number from 1 to 5")],
    )
    story = TextAreaField(
        "What has changed? (optional)",
        description="For example, more people come to your events, or you reach new volunteers.",
        validators=[Optional(), at_most(3000, "Your story")],
        filters=[strip],
        render_kw={"maxlength": 3000, "rows": 5},
    )
    may_share_story = YesNo(
        "You may share our story, without our names, to show what the surgeries do",
    )

    def answers(self) -> dict:
        return {
            "change_scale": self.change_scale.data,
            "story": self.story.data or "",
            "may_share_story": self.may_share_story.data,
        }
