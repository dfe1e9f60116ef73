"""Driving an admin change page in tests: its URL, and what the browser would post back unchanged.
Shared by the admin test modules, so none of them imports another."""

from django.forms import CheckboxInput
from django.urls import reverse


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """What the browser would post back unchanged: the main form plus every inline formset."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        management = formset.management_form
        data |= {management.add_prefix(name): management[name].value() for name in management.fields}
    for form in forms:
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form[name].value()
            if hasattr(field.widget, "as_data"):  # option rows (PORTAL-ADM-7)
                data |= field.widget.as_data(form.add_prefix(name), value)
                continue
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            data[form.add_prefix(name)] = "" if value is None else value
    return data
