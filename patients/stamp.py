"""The patient's clinical data stamp (`Patient.data_version`), raised by every write to the patient's clinical data.

Computed reads (analysis, comparison, progress, visit detail) are cached under the stamp (assessments.cache), so the
stamp must change in the same transaction as every write that can change them: the patient, their stressors and
injuries, any of their visits, what is charted in a visit, its plan, signature and addenda. Services call
`patient_data_changed` at their central lock points (assessments.services.lock_draft and the few writes that do not
lock a draft); tests/patients/test_stamp.py holds every public service to it.
"""

import uuid
from typing import Any

from django.db import transaction
from django.db.models import F

from patients.models import Patient


def patient_data_changed(*, patient_id: uuid.UUID | Any) -> None:
    """Raise the patient's data stamp; call inside the transaction of the write (one indexed UPDATE)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("patient_data_changed must run inside the write's transaction.")
    Patient.objects.filter(pk=patient_id).update(data_version=F("data_version") + 1)
