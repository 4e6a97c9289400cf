"""The form of the staff correction page: it validates input; services/updates.py saves it."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

ERROR_SUMMARY = _("Enter the corrected summary")
NOTE_LABELS = (("said", _("You said")), ("did", _("We did")), ("next", _("What next")))
ERROR_REASON = _("Enter the reason for the correction, like The number of meetings was wrong")


class UpdateCorrectForm(forms.Form):
    """Any part of a published update: the team's overall message (the summary), per priority
    "you said / we did / what next", and each listed action (rewritten, or emptied to remove it).

    ``priorities``: per priority of the update, its id, title, ward, note and listed ``entries``
    (id, text, happened_on), as the view reads them from the update.
    """

    summary = forms.CharField(
        label=_("Message from the team"),
        help_text=_("Residents see this at the top of the update."),
        max_length=2000,
        error_messages={"required": ERROR_SUMMARY},
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        help_text=_("Shown on the update, with the date of the correction."),
        max_length=300,
        error_messages={"required": ERROR_REASON},
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, priorities: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = priorities or []
        self.entries = [entry for priority in self.priorities for entry in priority["entries"]]
        fields = [Field.textarea("summary", label_size=Size.SMALL)]
        for priority in self.priorities:
            fields += [self._note_field(priority, key, label) for key, label in NOTE_LABELS]
            fields += [self._entry_field(priority, entry) for entry in priority["entries"]]
        fields.append(Field.textarea("reason", label_size=Size.SMALL))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields)

    def _note_field(self, priority: dict, key: str, label: str) -> Field:
        name = f"{key}_{priority['id']}"
        self.fields[name] = forms.CharField(
            label=f"{priority['title']} ({priority['ward']}): {label}",
            required=False,
            max_length=1000,
            initial=priority["note"].get(key, ""),
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        return Field.textarea(name, label_size=Size.SMALL)

    def _entry_field(self, priority: dict, entry: dict) -> Field:
        name = f"entry_{entry['id']}"
        self.fields[name] = forms.CharField(
            label=f"{priority['title']}: action on {entry['happened_on']}",
            help_text=_("Leave empty to remove it from the update."),
            required=False,
            max_length=2000,
            initial=entry["text"],
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        return Field.textarea(name, label_size=Size.SMALL)

    def notes(self) -> dict[str, dict[str, str]]:
        """The team's notes per priority id, from the cleaned data."""
        return {
            str(priority["id"]): {key: self.cleaned_data.get(f"{key}_{priority['id']}", "") for key, _l in NOTE_LABELS}
            for priority in self.priorities
        }

    def changed_entries(self) -> dict[int, str]:
        """The listed actions whose text was changed or emptied: id -> new text."""
        return {
            entry["id"]: self.cleaned_data.get(f"entry_{entry['id']}", "")
            for entry in self.entries
            if self.cleaned_data.get(f"entry_{entry['id']}", "").strip() != entry["text"]
        }


ERROR_MESSAGE = _("Enter the team's overall message, like Thank you to everyone who came to the meeting")


class DraftForm(forms.Form):
    """The team's words: a short overall message, and per priority "you said / we did / what next".

    ``priorities``: from selectors.updates.draft_priorities (id, title, ward, note).
    """

    message = forms.CharField(
        label=_("Message from the team"),
        help_text=_("A few sentences at the top of the update, in the team's own voice."),
        max_length=2000,
        error_messages={"required": ERROR_MESSAGE},
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, priorities: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = priorities
        fields = [Field.textarea("message", label_size=Size.SMALL)]
        for priority in priorities:
            for key, label in NOTE_LABELS:
                name = f"{key}_{priority['id']}"
                self.fields[name] = forms.CharField(
                    label=f"{priority['title']} ({priority['ward']}): {label}",
                    required=False,
                    max_length=1000,
                    initial=priority["note"].get(key, ""),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                fields.append(Field.textarea(name, label_size=Size.SMALL))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*fields)

    def notes(self) -> dict[str, dict[str, str]]:
        """The notes per priority id, from the cleaned data."""
        return {
            str(priority["id"]): {
                key: self.cleaned_data.get(f"{key}_{priority['id']}", "") for key, _label in NOTE_LABELS
            }
            for priority in self.priorities
        }
