from typing import Any

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}`; `?page_size=` is capped at 100.

    A `page_size` that is not a positive whole number is a 400 (DRF would silently use the default); an empty `page`
    is an invalid page (404), like any other that is not a page number.
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit() and int(raw) > 0):
            raise ValidationError({self.page_size_query_param: ["A positive whole number (at most 100 is used)."]})
        return super().get_page_size(request)

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(self.invalid_page_message.format(page_number="", message="empty"))
        return super().get_page_number(request, paginator)
