"""Request-size limits, answered before anything reads the body.

- A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE answers 413 (JSON `{"detail"}` under /api/, a short page elsewhere),
  judged from Content-Length so an oversized body is never read. DRF's parsers read the stream directly and would
  otherwise accept any size; Django itself would answer such a form post with a generic 400.
- A malformed Content-Length answers 400. Without one, Django reads no body at all (and never more than it says).
- Django's own refusals raised while a view reads the form (RequestDataTooBig: 413; TooManyFieldsSent, more than
  DATA_UPLOAD_MAX_NUMBER_FIELDS fields: 400) get the same answers instead of a generic error page.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"


def _refuse(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def body_limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            return _refuse(request, 400, "Malformed Content-Length header.")
        limit = body_limit()
        if length > limit:
            return _refuse(request, 413, f"The request body is too large (at most {limit} bytes).")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return _refuse(request, 413, f"The request body is too large (at most {body_limit()} bytes).")
        if isinstance(exception, TooManyFieldsSent):
            limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
            return _refuse(request, 400, f"Too many fields (at most {limit}).")
        return None
