"""Forms of ballots: opening one, a member's vote, a show of hands, the chair's casting vote.

Forms only validate what was typed; priorities.services.ballots records it. The choices
(wards, members, options) are given by the view, already loaded, so no form queries per option.
"""

from collections.abc import Sequence

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import page_form_helper
from priorities.models import Ballot, BallotOption, PanelMember
from wards.models import Ward

ERROR_WARD_REQUIRED = _("Select the ward the ballot is for")
ERROR_METHOD_REQUIRED = _("Select how the panel will vote")
ERROR_MEMBER_REQUIRED = _("Select the member who is voting")
ERROR_OPTIONS_REQUIRED = _("Select at least 1 option")
ERROR_OPTIONS_TOO_MANY = _("Select no more than 3 options")
ERROR_PEOPLE_REQUIRED = _("Enter how many people voted")
ERROR_PEOPLE_INVALID = _("Number of people voting must be a whole number, 1 or more")
ERROR_COUNT_REQUIRED = _("Enter the number of votes for this option")
ERROR_COUNT_INVALID = _("Votes must be a whole number, 0 or more")
ERROR_COUNT_OVER = _("Votes for an option cannot be more than the number of people voting")
ERROR_CASTING_COUNT = _("Select {places} of the tied options")
ERROR_CHOICE_GONE = _("That choice is no longer available: select another")


class _Choices(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.title if isinstance(obj, BallotOption) else obj.name)


class _MultipleChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj.title)


class BallotOpenForm(forms.Form):
    ward = _Choices(
        queryset=Ward.objects.none(),
        label=_("Ward"),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_WARD_REQUIRED, "invalid_choice": ERROR_CHOICE_GONE},
    )
    method = forms.ChoiceField(
        choices=Ballot.Method.choices,
        label=_("How will the panel vote?"),
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_METHOD_REQUIRED},
    )

    def __init__(self, *args, wards: Sequence[Ward], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.filter(pk__in=[ward.pk for ward in wards]).order_by("name")
        self.helper = page_form_helper(Field.radios("ward", legend_size="m"), Field.radios("method", legend_size="m"))


class VoteForm(forms.Form):
    member = _Choices(
        queryset=PanelMember.objects.none(),
        label=_("Member voting"),
        empty_label=_("Select a member"),
        error_messages={"required": ERROR_MEMBER_REQUIRED, "invalid_choice": ERROR_CHOICE_GONE},
    )
    options = _MultipleChoices(
        queryset=BallotOption.objects.none(),
        label=_("Their choices"),
        help_text=_("Choose up to 3 options"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERROR_OPTIONS_REQUIRED, "invalid_choice": ERROR_CHOICE_GONE},
    )

    def __init__(self, *args, members, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["options"].queryset = options
        self.helper = page_form_helper(Field.select("member"), Field.checkboxes("options", legend_size="s", small=True))

    def clean_options(self):
        options = list(self.cleaned_data["options"])
        if len(options) > 3:
            raise forms.ValidationError(ERROR_OPTIONS_TOO_MANY)
        return options


class HandsForm(forms.Form):
    """People voting, then one count per option in fields named ``option_<id>``."""

    people_voting = forms.IntegerField(
        label=_("Number of people voting"),
        min_value=1,
        error_messages={
            "required": ERROR_PEOPLE_REQUIRED,
            "invalid": ERROR_PEOPLE_INVALID,
            "min_value": ERROR_PEOPLE_INVALID,
        },
    )

    def __init__(self, *args, options: Sequence[BallotOption], **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        layout = [Field.text("people_voting", field_width=4, inputmode="numeric")]
        for option in self.options:
            name = f"option_{option.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Votes for ‘{title}’").format(title=option.title),
                min_value=0,
                initial=option.hands,
                error_messages={
                    "required": ERROR_COUNT_REQUIRED,
                    "invalid": ERROR_COUNT_INVALID,
                    "min_value": ERROR_COUNT_INVALID,
                },
            )
            layout.append(Field.text(name, field_width=4, inputmode="numeric"))
        self.helper = page_form_helper(*layout)

    def clean(self):
        cleaned = super().clean()
        people = cleaned.get("people_voting")
        for option in self.options:
            name = f"option_{option.pk}"
            if people is not None and cleaned.get(name) is not None and cleaned[name] > people:
                self.add_error(name, ERROR_COUNT_OVER)
        return cleaned

    def counts(self) -> dict[int, int]:
        return {option.pk: self.cleaned_data[f"option_{option.pk}"] for option in self.options}


class CastingVoteForm(forms.Form):
    options = _MultipleChoices(
        queryset=BallotOption.objects.none(),
        label=_("The chair's casting vote"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ERROR_CHOICE_GONE},
    )

    def __init__(self, *args, tied: Sequence[BallotOption], places: int, **kwargs):
        # Prefixed: its checkboxes share the page with the vote form's, and ids must be unique.
        super().__init__(*args, prefix="casting", **kwargs)
        self.places = places
        self.fields["options"].queryset = BallotOption.objects.filter(pk__in=[option.pk for option in tied]).order_by(
            "pk"
        )
        self.fields["options"].help_text = _("Choose {places} to take the tied places").format(places=places)
        self.fields["options"].error_messages["required"] = ERROR_CASTING_COUNT.format(places=places)
        self.helper = page_form_helper(Field.checkboxes("options", legend_size="s", small=True))

    def clean_options(self):
        options = list(self.cleaned_data["options"])
        if len(options) != self.places:
            raise forms.ValidationError(ERROR_CASTING_COUNT.format(places=self.places))
        return options


ERROR_CANDIDATE_REQUIRED = _("Select the concern or priority to add")
ERROR_REASON_REQUIRED = _("Enter the reason the ballot is cancelled")


class OptionAddForm(forms.Form):
    """One of the ward's concerns or current priorities not yet on the ballot, as "concern:<id>"
    or "priority:<id>" (see selectors.ballots.option_candidates)."""

    candidate = forms.ChoiceField(
        label=_("Concern or priority to add"),
        error_messages={"required": ERROR_CANDIDATE_REQUIRED, "invalid_choice": ERROR_CHOICE_GONE},
    )

    def __init__(self, *args, candidates: Sequence[tuple[str, str]], **kwargs):
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["candidate"].choices = [("", _("Select a concern or priority")), *candidates]
        self.helper = page_form_helper(Field.select("candidate"))

    def chosen(self) -> tuple[str, int]:
        kind, _sep, pk = self.cleaned_data["candidate"].partition(":")
        return kind, int(pk)


class BallotCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the ballot cancelled?"),
        help_text=_("Residents will read this on the ballot's public page."),
        max_length=300,
        widget=forms.Textarea,
        error_messages={"required": ERROR_REASON_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.textarea("reason", rows=3, max_characters=300))


ERROR_REOPEN_REASON_REQUIRED = _("Enter the reason the ballot is reopened")


class BallotReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the ballot be reopened?"),
        help_text=_("Residents will read this on the ballot's public result, with who asked and who confirmed."),
        max_length=300,
        widget=forms.Textarea,
        error_messages={"required": ERROR_REOPEN_REASON_REQUIRED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = page_form_helper(Field.textarea("reason", rows=3, max_characters=300))
