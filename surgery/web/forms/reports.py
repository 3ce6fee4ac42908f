"""The reports' period: a GET form, so a report can be bookmarked and downloaded as shown."""

from wtforms.validators import InputRequired, ValidationError

from surgery.services.periods import Period
from surgery.web.fields import DayField, Form

FIRST_YEAR, LAST_YEAR = 2000, 2099  # as the open-data API; far dates are typing slips


def in_our_years(field) -> None:
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(f"Enter a day from {FIRST_YEAR} to {LAST_YEAR}")


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

    def validate_first(self, field) -> None:
        in_our_years(field)

    def validate_last(self, field) -> None:
        in_our_years(field)
        if self.first.data and field.data and field.data < self.first.data:
            raise ValidationError("The last day must be the same as or after the first day")

    @property
    def period(self) -> Period:
        return Period(self.first.data, self.last.data)
