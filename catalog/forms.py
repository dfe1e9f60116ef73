"""Forms for who may touch what: login by email."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form with the login name labelled as an email and the spec's messages (AUTH-1).

    One message covers an unknown email, a wrong password and an archived user, so the form does not
    reveal which accounts exist.
    """

    username = forms.CharField(
        label="Email",
        required=False,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Invalid email or password",
        "inactive": "Invalid email or password",
        "missing": "Please enter both email and password",
    }

    def clean(self):
        if not (self.cleaned_data.get("username") or "").strip() or not self.cleaned_data.get("password"):
            raise forms.ValidationError(self.error_messages["missing"], code="missing")
        return super().clean()
