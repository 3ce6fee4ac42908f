"""Forms for hosts and admins."""

from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import EqualTo, InputRequired, Length

from surgery.web.fields import Form, at_most, strip
from surgery.web.forms.common import EmailForm, NameForm


class ApplyToHostForm(NameForm, EmailForm):
    town = StringField(
        "Which town or area would you host in?",
        validators=[InputRequired("Enter the town or area"), at_most(80, "The town")],
        filters=[strip],
        render_kw={"maxlength": 80, "autocomplete": "address-level2"},
    )
    why = TextAreaField(
        "Why would you like to host?",
        description="A few lines about you, and where you might hold sessions.",
        validators=[InputRequired("Tell us why you would like to host"), at_most(1000, "This")],
        filters=[strip],
        render_kw={"maxlength": 1000, "rows": 5},
    )


class SignInForm(EmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Signing in sends no email: the address only names the account.
        self.email.description = ""

    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password"), at_most(128, "Your password")],
        render_kw={"autocomplete": "current-password", "maxlength": 128},
    )


class SetPasswordForm(Form):
    password = PasswordField(
        "New password",
        description=(
            "At least 12 characters, and not a common password or your own name or email "
            "address. A few unrelated words make a strong one."
        ),
        validators=[
            InputRequired("Enter a new password"),
            Length(min=12, max=128, message="Your password must be 12 to 128 characters long"),
        ],
        render_kw={"autocomplete": "new-password", "maxlength": 128},
    )
    confirm = PasswordField(
        "Type the new password again",
        validators=[
            InputRequired("Type the new password again"),
            EqualTo("password", message="The two passwords are not the same"),
        ],
        render_kw={"autocomplete": "new-password", "maxlength": 128},
    )


class SafeguardingForm(EmailForm):
    """An admin records a volunteer's safeguarding check by the address they volunteered with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.email.label.text = "Volunteer's email address"
        self.email.description = "The address they gave when they offered to help."
