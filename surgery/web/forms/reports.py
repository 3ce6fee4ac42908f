"""The reports' period: a GET form, so a report can be bookmarked and downloaded as shown."""

from wtforms.validators import InputRequired, ValidationError

from surgery.services.reports import Period
from surgery.web.fields import DayField, Form


class PeriodForm(Form):
    class Meta:
        csrf = False  # choosing a period changes nothing

    first = DayField(
        "From",
        description="The first day of the period.",
        validators=[InputRequired("Enter the first day of the period")],
    )
    last = DayField(
        "To",
        description="The last day of the period, included.",
        validators=[InputRequired("Enter the last day of the period")],
    )

    def validate_last(self, field) -> None:
        if self.first.data and field.data and field.data < self.first.data:
            raise ValidationError("The last day must be the same as or after the first day")

    @property
    def period(self) -> Period:
        return Period(self.first.data, self.last.data)
