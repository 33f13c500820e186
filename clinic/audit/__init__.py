"""The audit trail of patient data: who read, wrote, exported or issued what, for which clinic and patient, when.

- Requests: AuditMiddleware records one AuditEvent per request on a patient-data route (declared in
  clinic.audit.routes), with the outcome derived from the HTTP status, denied and anonymous attempts included.
- Other callers (commands, exports, signals): clinic.audit.record(user=..., clinic=..., action=..., outcome=..., ...).
- Append-only: AuditEvent refuses updates and deletes, and so does the database (triggers, clinic/0003_auditevent).
- Owners read it at /clinic/audit/ (operations.audit_views); can_read_audit() decides who may.
"""

from clinic.audit.recording import (
    AuditMiddleware,
    can_read_audit,
    client_address,
    outcome_of,
    record,
    record_answer,
)

__all__ = ["AuditMiddleware", "can_read_audit", "client_address", "outcome_of", "record", "record_answer"]
