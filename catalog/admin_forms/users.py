"""User forms: creation, change and password (DM-USR-1..3, DM-ROLE-5..7)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm, UserChangeForm

from catalog.admin_forms.rules import ArchiveRulesMixin, strict_key_fields
from catalog.models import (
    Assignment,
    Project,
    User,
)
from catalog.roles import RoleError, check_user_type_change
from catalog.set_rules import sentence, user_email_problem, user_password_problem

# --------------------------------------------------------------------------- users


class UserTypeRulesMixin:
    """DM-USR-2: humans and admins have an email; model users have none."""

    def clean_email(self):
        email = self.cleaned_data.get("email")
        return email.strip().lower() if email else None

    def _check_email_for_type(self, user_type: str | None) -> None:
        email = self.cleaned_data.get("email")
        problem = user_email_problem(user_type, bool(email)) if user_type else None
        if problem and email:
            self.add_error("email", f"{sentence(problem)} Leave it empty.")
        elif problem and "email" not in self.errors:
            self.add_error("email", f"{sentence(problem)} It is their login.")


class LabelPizzaUserCreationForm(UserTypeRulesMixin, BaseUserCreationForm):
    """Create a user. Humans and admins get a hashed password; model users get none (DM-USR-2)."""

    class Meta:
        model = User
        fields = ("user_id", "email", "user_type", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strict_key_fields(self, "user_id")
        self.fields["password1"].required = False
        self.fields["password2"].required = False
        self.fields["password1"].help_text = "Required for human and admin users; leave empty for model users."
        if "is_active" in self.fields:
            self.fields["is_active"].help_text = "Untick to create the user archived."

    def clean(self):
        user_type = self.cleaned_data.get("user_type")
        self._check_email_for_type(user_type)
        password1, password2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if user_type == User.UserType.MODEL:
            if problem := user_password_problem(user_type, bool(password1 or password2)):
                self.add_error("password1", f"{sentence(problem)} They use an API token.")
        elif user_type:
            if problem := user_password_problem(user_type, bool(password1)):
                self.add_error("password1", sentence(problem))
            if not password2:
                self.add_error("password2", "Enter the same password again.")
        return super().clean()

    def set_password_and_save(self, user, password_field_name="password1", commit=True):
        if user.user_type == User.UserType.MODEL:
            user.set_unusable_password()
            if commit:
                user.save()
            return user
        return super().set_password_and_save(user, password_field_name, commit)


def user_type_change_effects(user: User, new_type: str) -> str | None:
    """What saving human↔admin will do to the user's project roles (DM-ROLE-6/7), in words; None otherwise."""
    old_type = user.user_type
    if old_type == User.UserType.HUMAN and new_type == User.UserType.ADMIN:
        projects = Project.objects.count()
        return (
            f'Promoting "{user.user_id}" to admin makes them a global admin: they get active annotator, reviewer '
            f"and admin rows in all {projects} project{'s' if projects != 1 else ''}, archived ones included, "
            "and in every project created later. Existing weights are kept; new pairs get 1.0."
        )
    if old_type == User.UserType.ADMIN and new_type == User.UserType.HUMAN:
        rows = Assignment.objects.active().for_user(user)
        n_rows, n_projects = rows.count(), rows.values("project").distinct().count()
        return (
            f'Demoting "{user.user_id}" to human archives all {n_rows} active role row{"s" if n_rows != 1 else ""} '
            f"they hold in {n_projects} project{'s' if n_projects != 1 else ''}: they lose access everywhere and "
            "must be assigned again to get it back."
        )
    return None


class LabelPizzaUserChangeForm(UserTypeRulesMixin, ArchiveRulesMixin, UserChangeForm):
    """Edit a user: rename (DM-CONV-4), email, human↔admin (DM-USR-3) and archived state.

    A human↔admin change is explained first and saved only once `confirm_type_change` is ticked.
    """

    confirm_type_change = forms.BooleanField(
        required=False,
        label="Confirm the role changes",
        help_text="Needed when the type changes between human and admin; the form explains the effect first.",
    )

    class Meta:
        model = User
        fields = ("user_id", "email", "user_type", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        strict_key_fields(self, "user_id")
        if "user_type" in self.fields:
            self.fields["user_type"].help_text = (
                "Human → admin gives annotator, reviewer and admin roles in every project; admin → human archives "
                "every role of the user. Model users can never change type."
            )

    def clean(self):
        cleaned = super().clean()
        new_type = cleaned.get("user_type", self.instance.user_type)
        try:
            check_user_type_change(self.instance, self.instance.user_type, new_type)
        except RoleError as error:
            self.add_error("user_type", str(error))
        self._check_email_for_type(new_type)
        effects = user_type_change_effects(self.instance, new_type) if self.instance.pk else None
        if effects and "user_type" not in self.errors and not cleaned.get("confirm_type_change"):
            self.add_error("confirm_type_change", f"{effects} Tick “Confirm the role changes” and save again.")
        if (
            self.actor is not None
            and self.actor.pk == self.instance.pk
            and self.instance.user_type == User.UserType.ADMIN
            and new_type != User.UserType.ADMIN
        ):
            self.add_error("user_type", "You cannot demote your own account.")
        return cleaned


class LabelPizzaPasswordChangeForm(AdminPasswordChangeForm):
    """Set a new password. Humans and admins always keep a usable one (DM-USR-2), so no 'disable' choice."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields.pop("usable_password", None)
        self.fields["password1"].required = True
        self.fields["password2"].required = True
