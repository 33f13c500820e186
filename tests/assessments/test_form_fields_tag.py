"""{% form_fields %} keeps the HTML of blank add forms only; forms with input, errors or an instance render fresh."""

import pytest

from assessments.forms import AddendumForm, FindingForm, PlanOptionsForm
from assessments.templatetags.form_fields import form_fields, is_blank, render_fields
from patients.forms import StressorForm
from tests.factories import StressorFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_class", [FindingForm, AddendumForm, StressorForm])
def test_a_blank_form_renders_exactly_as_the_partial_does(form_class):
    form = form_class(prefix="x")
    assert is_blank(form)
    assert form_fields(form) == form_fields(form_class(prefix="x")) == render_fields(form_class(prefix="x"))


def test_the_prefix_is_part_of_what_is_kept():
    assert 'id="id_a-muscle"' in form_fields(FindingForm(prefix="a"))
    assert 'id="id_b-muscle"' in form_fields(FindingForm(prefix="b"))


def test_a_form_with_input_errors_or_an_instance_is_rendered_fresh(patient):
    form_fields(StressorForm(prefix="new-stressors"))
    bound = StressorForm({"new-stressors-kind": "not-a-kind"}, prefix="new-stressors")
    assert not bound.is_valid()
    html = form_fields(bound)
    assert "field-error" in html and "not-a-kind" in html
    edit = StressorForm(instance=StressorFactory(patient=patient, detail="new shoes in May"), prefix="new-stressors")
    assert not is_blank(edit)
    assert "new shoes in May" in form_fields(edit)
    assert not is_blank(PlanOptionsForm(protocols=[], initial={"max_home_care": 2}))
