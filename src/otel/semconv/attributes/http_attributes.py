"""Stable ``http.*`` attribute names
(official: ``opentelemetry.semconv.attributes.http_attributes``)."""

from typing import Final

HTTP_REQUEST_HEADER_TEMPLATE: Final = "http.request.header"
HTTP_REQUEST_METHOD: Final = "http.request.method"
HTTP_REQUEST_METHOD_ORIGINAL: Final = "http.request.method_original"
HTTP_REQUEST_RESEND_COUNT: Final = "http.request.resend_count"
HTTP_RESPONSE_HEADER_TEMPLATE: Final = "http.response.header"
HTTP_RESPONSE_STATUS_CODE: Final = "http.response.status_code"
HTTP_ROUTE: Final = "http.route"

__all__ = [
    "HTTP_REQUEST_HEADER_TEMPLATE",
    "HTTP_REQUEST_METHOD",
    "HTTP_REQUEST_METHOD_ORIGINAL",
    "HTTP_REQUEST_RESEND_COUNT",
    "HTTP_RESPONSE_HEADER_TEMPLATE",
    "HTTP_RESPONSE_STATUS_CODE",
    "HTTP_ROUTE",
]

HTTP_REQUEST_METHOD_VALUE_OTHER: Final = "_OTHER"
"""``http.request.method`` for a method outside the known set (the original goes in
``http.request.method_original``)."""
__all__ += ["HTTP_REQUEST_METHOD_VALUE_OTHER"]
