"""The document selectors' words from the catalog: short references for the MCIDs, never a catalog id."""

from __future__ import annotations

import re

import pytest

from assessments.document_selectors import source_reference, source_references
from catalog.store import read_files

DOC = read_files()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"cite": "Childs JD et al. Spine 2005;30(11):1331-1334 (PMID 15928561)"}, "Childs 2005"),
        ({"cite": "Abbott JH, Schmitt JS. JOSPT 2014;44(8):560-564"}, "Abbott 2014"),
        ({"cite": "Medical Research Council. Aids to the examination. HMSO (1943; 1976)"},
         "Medical Research Council 1943"),
        ({"title": "Medical Research Council scale (motor testing)", "url": "http://example.org"},
         "Medical Research Council scale"),
        ({}, ""),
    ],
)  # fmt: skip
def test_a_source_reads_as_author_and_year(source, expected):
    assert source_reference(source) == expected


@pytest.mark.parametrize("measure", DOC["outcome_measures"], ids=lambda m: m["id"])
def test_every_outcome_measure_s_references_name_no_catalog_id(measure):
    references = source_references(DOC, measure["sources"])
    assert references
    for source_id in measure["sources"][:2]:
        assert source_id not in references.split("; ")
    assert not re.search(r"_|\b[A-Z][a-z]+[A-Z]?[a-z]*\d{4}\b", references), references


def test_an_unknown_source_is_left_out_not_printed_as_its_id():
    assert source_references(DOC, ["Childs2005", "no_such_source"]) == "Childs 2005"
