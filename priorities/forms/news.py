"""The form of a news item: it validates input; priorities.services.news saves it."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from priorities.models import NewsItem

ERROR_AREA = _("Choose where the news is for")
ERROR_KIND = _("Choose what kind of news it is")
ERROR_TITLE_REQUIRED = _("Enter a title")
ERROR_TITLE_TOO_LONG = _("Title must be 150 characters or fewer")
ERROR_BODY_REQUIRED = _("Enter the news")
ERROR_BODY_TOO_LONG = _("The news must be 5000 characters or fewer")


class NewsForm(forms.Form):
    """``area`` offers each team ("team-<pk>") and its wards ("ward-<pk>");
    cleaned_data gets ``team`` and ``ward`` (None for the whole team)."""

    area = forms.ChoiceField(label=_("Who is it for?"), error_messages={"required": ERROR_AREA})
    kind = forms.ChoiceField(
        label=_("What kind of news is it?"),
        choices=NewsItem.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_KIND, "invalid_choice": ERROR_KIND},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        error_messages={"required": ERROR_TITLE_REQUIRED, "max_length": ERROR_TITLE_TOO_LONG},
    )
    body = forms.CharField(
        label=_("The news"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": ERROR_BODY_REQUIRED, "max_length": ERROR_BODY_TOO_LONG},
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self._areas: dict[str, tuple] = {}
        choices = []
        for team in teams:
            self._areas[f"team-{team.pk}"] = (team, None)
            choices.append((f"team-{team.pk}", _("All of %(team)s") % {"team": team.name}))
            for ward in team.wards.all():
                self._areas[f"ward-{ward.pk}"] = (team, ward)
                choices.append((f"ward-{ward.pk}", ward.name))
        self.fields["area"].choices = choices
        self.fields["area"].error_messages["invalid_choice"] = ERROR_AREA
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.select("area"),
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("title"),
            Field.textarea("body"),
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["team"], cleaned["ward"] = self._areas.get(cleaned.get("area"), (None, None))
        return cleaned
