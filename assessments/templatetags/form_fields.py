"""``{% form_fields form %}``: a form's fields as ``patients/partials/_form_fields.html`` renders them, with a blank
"add" form rendered once per process and catalog release.

The chart pages show several blank add forms (stressor, injury, pain site, finding, test, outcome, screen, addendum)
whose select lists hold the catalog's zones, muscles and stressor kinds: rendering their widgets through Django's
widget templates costs more than the rest of the page. A blank form (unbound, no initial data, a new instance, no
callable field initial) renders the same HTML every time for a given class, prefix and catalog release, so that HTML
is kept. A bound form (with the user's input and errors) or an edit form is rendered every time.
"""

import threading
from typing import Any

from django import template
from django.forms import BaseForm
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from catalog.store import current_release

register = template.Library()

TEMPLATE = "patients/partials/_form_fields.html"
_rendered: dict[tuple[Any, ...], SafeString] = {}
_lock = threading.Lock()


def is_blank(form: BaseForm) -> bool:
    if form.is_bound or form.initial:
        return False
    instance = getattr(form, "instance", None)
    if instance is not None and not instance._state.adding:
        return False
    return not any(callable(field.initial) for field in form.fields.values())


def render_fields(form: BaseForm) -> SafeString:
    return mark_safe(render_to_string(TEMPLATE, {"form": form}))  # noqa: S308 -- a template's own escaped output


@register.simple_tag
def form_fields(form: BaseForm) -> SafeString:
    if not is_blank(form):
        return render_fields(form)
    key = (type(form), form.prefix, form.auto_id, current_release())
    html = _rendered.get(key)
    if html is None:
        html = render_fields(form)
        with _lock:
            if len(_rendered) > 256:  # old catalog releases: start again
                _rendered.clear()
            _rendered[key] = html
    return html
