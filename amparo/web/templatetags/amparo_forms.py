"""Render a form field with Bootstrap's classes and the ARIA links between the field,
its help text and its errors, so every form is usable with a screen reader."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-check-input",
    "radioselect": "form-check-input",
}


@register.filter
def control(field: BoundField) -> SafeString:
    attrs: dict[str, str | bool] = {
        "class": _CLASSES.get(field.widget_type, "form-control")
    }
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        attrs["class"] = f"{attrs['class']} is-invalid"
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
