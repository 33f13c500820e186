"""OpenAPI post-processing: document the error answers every operation can give (shared/api-contract.md).

drf-spectacular documents only the success answer. The API also answers:
400 validation (`{"field": ["message"]}`) or a malformed body or parameter (`{"detail"}`); 401 no credentials;
403 not a member of the acting clinic; 404 another clinic's object or an unknown id (also in a body), no such page;
409 signed visit, stale `version`, confirmed plan; 412 stale `If-Match`; 413 body over the limit (clinic.limits);
415 not JSON. Each is added where it applies, so a client (and schemathesis) can rely on the documented set.
"""

from typing import Any

ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "ErrorDetail": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "description": "A single message: authentication, permission, not found, conflict, limits, parse errors.",
    },
    "ValidationErrors": {
        "type": "object",
        "additionalProperties": {
            "anyOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "object", "description": "Errors of a nested field or list item, keyed by field or index."},
            ]
        },
        "description": 'Per-field messages: `{"field_name": ["message", ...]}` or `non_field_errors`.',
    },
}

WRITE_METHODS = {"post", "put", "patch", "delete"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}
PUBLIC_OPERATIONS = {"/api/v1/auth/token/"}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str, *, validation: bool = False) -> dict[str, Any]:
    schema = {"anyOf": [_ref("ValidationErrors"), _ref("ErrorDetail")]} if validation else _ref("ErrorDetail")
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _answers(path: str, method: str, operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    parameters = operation.get("parameters", [])
    has_query_params = any(p.get("in") == "query" for p in parameters)
    has_body = "requestBody" in operation or method in {"post", "put", "patch"}
    answers: dict[str, dict[str, Any]] = {}
    if has_body or has_query_params or method in WRITE_METHODS:
        answers["400"] = _error("Invalid input: per-field messages, or a malformed body or parameter.", validation=True)
    if path not in PUBLIC_OPERATIONS:
        answers["401"] = _error("No (or invalid) credentials.")
        answers["403"] = _error("Not a member of the acting clinic, or the role does not allow this.")
        answers["404"] = _error(
            "No such object in the acting clinic (another clinic's too, also when named in the body), or no such page."
        )
        if method in WRITE_METHODS:
            answers["409"] = _error("The record cannot change in its current state (signed visit, stale version).")
    if method in {"patch", "put"}:
        answers["412"] = _error("A stale If-Match ETag.")
    if has_body:
        answers["413"] = _error("The request body is larger than the limit.")
        answers["415"] = _error("The request body is not JSON.")
    return answers


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the error answers; never replaces a documented one."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, answer in _answers(path, method, operation).items():
                responses.setdefault(code, answer)
    return result
