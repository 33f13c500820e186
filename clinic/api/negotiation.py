"""Content negotiation with a shortcut for the common case.

Every API view but the schema renders JSON only. When a view offers one renderer and the request asks for nothing
else (no Accept header, `*/*` or exactly that renderer's media type, no `?format=`), that renderer is the answer
without parsing the header: DRF's DefaultContentNegotiation costs a few percent of a cheap request. Anything else
goes through DRF's negotiation unchanged (a 406 for an Accept the view cannot answer).
"""

from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

PLAIN_ACCEPT = frozenset({"", "*/*"})


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str] | Any:
        offered = list(renderers)
        if len(offered) == 1 and not format_suffix and self.settings.URL_FORMAT_OVERRIDE not in request.query_params:
            only = offered[0]
            accept = request.META.get("HTTP_ACCEPT", "").strip()
            if accept in PLAIN_ACCEPT or accept == only.media_type:
                return only, only.media_type
        return super().select_renderer(request, offered, format_suffix)
