"""Forms of the panel membership pages: they validate input; services/panels.py saves it."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from priorities.forms.events import EventDateField
from priorities.models import PanelMember

ERROR_NAME = _("Enter the member's name")
ERROR_KIND = _("Choose what kind of member they are")
ERROR_ROLE = _("Choose their role on the panel")
ERROR_START = _("Enter the date they joined the panel")
ERROR_END = _("Enter the date their membership ended")
ERROR_EMAIL = _("Enter an email address in the correct format, like name@example.com")
ERROR_EMAIL_REQUIRED = _("Enter the email address to send the invitation to")
ERROR_SUCCESSOR = _("Choose who takes the chair")
ERROR_PASSWORD = _("Enter a password")
ERROR_PASSWORD_AGAIN = _("Enter the password again")
ERROR_PASSWORD_MATCH = _("The two passwords must be the same")

ROLE_CHOICES = [(PanelMember.Role.MEMBER, _("Member")), (PanelMember.Role.VICE_CHAIR, _("Vice-chair"))]


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


def _kind_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("What kind of member are they?"),
        choices=PanelMember.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_KIND, "invalid_choice": ERROR_KIND},
    )


class MemberForm(forms.Form):
    """A membership's details; ``chair``: the chair's own (their role is not changed here);
    ``adding``: a new member, whose staff account may be named by its email address."""

    name = forms.CharField(label=_("Full name"), max_length=150, error_messages={"required": ERROR_NAME})
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        help_text=_("For a partner representative or councillor: the agency or council they speak for"),
        max_length=150,
        required=False,
    )
    kind = _kind_field()
    role = forms.ChoiceField(
        label=_("Role on the panel"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        initial=PanelMember.Role.MEMBER,
        error_messages={"required": ERROR_ROLE, "invalid_choice": ERROR_ROLE},
    )
    started_on = EventDateField(label=_("Date they joined the panel"), help_text=_("For example, 27 3 2026"))
    account_email = forms.EmailField(
        label=_("Email address of their staff account (optional)"),
        help_text=_("Only if they already sign in to PACT: the chair can be handed only to someone who does"),
        required=False,
        error_messages={"invalid": ERROR_EMAIL},
    )

    def __init__(self, *args, chair: bool = False, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started_on"].error_messages.update(required=ERROR_START, incomplete=ERROR_START)
        fields = [
            Field.text("name"),
            Field.text("organisation"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field("started_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        ]
        if chair:
            del self.fields["role"]
        else:
            fields.insert(3, Field.radios("role", legend_size=Size.SMALL, inline=True))
        if adding:
            fields.append(Field.text("account_email", spellcheck="false", autocomplete="off"))
        else:
            del self.fields["account_email"]
        self.helper = _helper(*fields)


class MemberEndForm(forms.Form):
    ended_on = EventDateField(
        label=_("Date their membership ended"), help_text=_("Today or earlier, for example, 27 3 2026")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].error_messages.update(required=ERROR_END, incomplete=ERROR_END)
        self.fields["ended_on"].initial = timezone.localdate()
        self.helper = _helper(Field("ended_on", context={"legend_size": Size.for_legend(Size.SMALL)}))


class HandoverForm(forms.Form):
    successor = forms.TypedChoiceField(
        label=_("Who takes the chair?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_SUCCESSOR, "invalid_choice": ERROR_SUCCESSOR},
    )
    keep_old_chair = forms.BooleanField(label=_("Keep the present chair on the panel as a member"), required=False)

    def __init__(self, *args, candidates, has_chair: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].choices = [(member.pk, member.name) for member in candidates]
        fields = [Field.radios("successor", legend_size=Size.SMALL)]
        if has_chair:
            self.fields["keep_old_chair"].initial = True
            fields.append(Field.checkbox("keep_old_chair", small=True))
        else:
            del self.fields["keep_old_chair"]
        self.helper = _helper(*fields)


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150, error_messages={"required": ERROR_NAME})
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will email them a link to create their staff account"),
        error_messages={"required": ERROR_EMAIL_REQUIRED, "invalid": ERROR_EMAIL},
    )
    organisation = forms.CharField(label=_("Organisation (optional)"), max_length=150, required=False)
    kind = _kind_field()
    role = forms.ChoiceField(
        label=_("Role on the panel"),
        choices=[*ROLE_CHOICES, (PanelMember.Role.CHAIR, _("Chair: they take the chair when they accept"))],
        widget=forms.RadioSelect,
        initial=PanelMember.Role.MEMBER,
        error_messages={"required": ERROR_ROLE, "invalid_choice": ERROR_ROLE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("name"),
            Field.text("email", spellcheck="false", autocomplete="email"),
            Field.text("organisation"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.radios("role", legend_size=Size.SMALL),
        )


class InvitationAcceptForm(forms.Form):
    password1 = forms.CharField(
        label=_("Create a password"),
        help_text=_("At least 12 characters. A few unrelated words make a good one"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": ERROR_PASSWORD},
    )
    password2 = forms.CharField(
        label=_("Enter the password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": ERROR_PASSWORD_AGAIN},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("password1"), Field.text("password2"))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", ERROR_PASSWORD_MATCH)
        return data
