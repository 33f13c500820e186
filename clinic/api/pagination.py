from collections.abc import Callable
from typing import Any

from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

MAX_ROWS = 2**31  # more rows than any clinic's list holds


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

    def paginate_fetched(
        self,
        fetch: Callable[[int, int], tuple[list[Any], int]],
        queryset: Callable[[], QuerySet[Any]],
        request: Request,
        view: Any = None,
    ) -> list[Any] | None:
        """A page read by `fetch(offset, limit)`, which gives the page's rows and the number of all rows (0 when the
        page is empty). The answers are DRF's, 404s included; a page number that is not a plain number goes through
        DRF's own path over `queryset()` (the same rows), which is built only then."""
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class([], page_size)  # its count is the fetched total (below)
        raw = self.get_page_number(request, paginator)
        last = request.query_params.get(self.page_query_param) in self.last_page_strings  # needs the count first
        if last or not (str(raw).isascii() and str(raw).isdigit() and int(raw) >= 1):
            return self.paginate_queryset(queryset(), request, view)
        number = int(raw)
        offset = (number - 1) * page_size
        if offset >= MAX_ROWS:  # past the end of any list, and too large a number for the database's OFFSET
            raise NotFound(self.invalid_page_message.format(page_number=raw, message="That page contains no results"))
        rows, total = fetch(offset, page_size)
        # No row on a later page: the count is unknown but the page is past the end whatever it is (404 below).
        paginator.__dict__["count"] = total if rows else 0
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise NotFound(self.invalid_page_message.format(page_number=raw, message=str(exc))) from exc
        self.page.object_list = rows
        self.request = request
        return rows
