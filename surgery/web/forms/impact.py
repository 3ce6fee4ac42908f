"""The impact page's filters: a GET form, so a filtered page can be bookmarked and shared."""

from wtforms import SelectField

from surgery.services.impact import PERIODS
from surgery.web.fields import CHOOSE_FROM_THE_LIST, Form, options


class ImpactFilterForm(Form):
    class Meta:
        csrf = False  # choosing what to look at changes nothing

    town = SelectField("Town", default="all", invalid_choice_message=CHOOSE_FROM_THE_LIST)
    period = SelectField(
        "Period",
        default="all",
        invalid_choice_message=CHOOSE_FROM_THE_LIST,
        choices=options([(name, words) for name, (words, _) in PERIODS.items()]),
    )

    def offer_towns(self, towns) -> None:
        self.town.choices = options([("all", "All towns")] + [(t.slug, t.name) for t in towns])
