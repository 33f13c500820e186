"""The clinical catalog in the database: loaded by migrations, idempotent, validated edits, versioned."""

import json

import pytest
from django.core.management import CommandError, call_command

from assessments.engine.catalog import catalog_from_dict, validate_catalog
from catalog import store
from catalog.admin import CatalogEntryForm
from catalog.models import CatalogEntry, CatalogRelease, MuscleEntry, Section
from catalog.vocabulary import validate_zone, zone_slugs

pytestmark = pytest.mark.django_db


def test_split_and_join_are_exact_inverses_of_the_shipped_files():
    doc = store.read_files()
    assert json.dumps(store.join(store.split(doc)), sort_keys=True) == json.dumps(doc, sort_keys=True)


def test_every_database_has_the_catalog_after_migrations():
    doc = store.read_files()
    assert MuscleEntry.objects.count() == len(doc["muscles"]) == 59
    assert CatalogEntry.objects.filter(section=Section.ZONE).count() == 66
    assert CatalogRelease.objects.filter(version=doc["meta"]["version"]).exists()
    assert json.dumps(store.current_document(), sort_keys=True) == json.dumps(doc, sort_keys=True)


def test_the_shipped_catalog_has_no_broken_cross_references():
    assert validate_catalog(catalog_from_dict(store.read_files())) == []


def test_loading_twice_changes_nothing(capsys):
    before = list(CatalogEntry.objects.order_by("section", "slug").values_list("pk", "data"))
    call_command("load_catalog")
    call_command("load_catalog")
    assert list(CatalogEntry.objects.order_by("section", "slug").values_list("pk", "data")) == before
    assert CatalogRelease.objects.count() == 1
    assert f"{CatalogEntry.objects.count()} entries" in capsys.readouterr().out


def test_load_refuses_files_with_a_broken_cross_reference_and_changes_nothing(tmp_path):
    doc = store.read_files()
    doc["muscles"][0]["referral_zones"] = ["moon_surface"]
    for stem, data in doc.items():
        (tmp_path / f"{stem}.json").write_text(json.dumps(data), encoding="utf-8")
    before = list(CatalogEntry.objects.order_by("section", "slug").values_list("pk", "data"))
    with pytest.raises(CommandError, match="moon_surface"):
        call_command("load_catalog", directory=tmp_path)
    assert list(CatalogEntry.objects.order_by("section", "slug").values_list("pk", "data")) == before
    assert CatalogRelease.objects.count() == 1


def test_load_restores_a_deleted_or_edited_entry():
    soleus = MuscleEntry.objects.get(slug="soleus")
    shipped = soleus.data
    soleus.data = {**shipped, "name": "Edited"}
    soleus.save()
    CatalogEntry.objects.filter(section="zone", slug="plantar_heel").delete()
    call_command("load_catalog")
    assert MuscleEntry.objects.get(slug="soleus").data == shipped
    assert CatalogEntry.objects.filter(section="zone", slug="plantar_heel").exists()


def _form_for(entry, **changes):
    data = {
        "section": entry.section,
        "slug": entry.slug,
        "position": entry.position,
        "name": entry.name,
        "group": entry.group,
        "data": json.dumps(changes.pop("data", entry.data)),
        **changes,
    }
    return CatalogEntryForm(data=data, instance=entry)


def test_admin_edit_that_breaks_a_cross_reference_is_refused():
    soleus = MuscleEntry.objects.get(slug="soleus")
    form = _form_for(soleus, data={**soleus.data, "referral_zones": ["moon_surface"]})
    assert not form.is_valid()
    assert "moon_surface" in str(form.errors)


def test_admin_edit_that_keeps_the_catalog_valid_is_accepted():
    soleus = MuscleEntry.objects.get(slug="soleus")
    form = _form_for(soleus, data={**soleus.data, "synonyms": [*soleus.data["synonyms"], "deep calf"]})
    assert form.is_valid(), form.errors


def test_a_new_release_rebuilds_the_cached_catalog_and_vocabulary():
    assert "moon_surface" not in zone_slugs()
    CatalogEntry.objects.create(
        section="zone",
        slug="moon_surface",
        position=999,
        name="Moon",
        group="foot",
        data={"slug": "moon_surface", "group": "foot", "label": "Moon", "node": "foot"},
    )
    CatalogRelease.objects.create(version="test+edit.1")
    assert "moon_surface" in zone_slugs()
    validate_zone("moon_surface")


def test_the_cached_catalog_asks_for_the_current_release_again_only_after_the_recheck_interval(
    settings, django_assert_num_queries
):
    store.current_document()  # builds the cache
    settings.CATALOG_RECHECK_SECONDS = 3600.0
    with django_assert_num_queries(0):
        store.current_document()
    settings.CATALOG_RECHECK_SECONDS = 0.0
    with django_assert_num_queries(1):  # the release id, unchanged: the cached catalog is kept
        store.current_document()
