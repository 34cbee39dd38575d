"""Stable ``url.*`` attribute names
(official: ``opentelemetry.semconv.attributes.url_attributes``)."""

from typing import Final

URL_FRAGMENT: Final = "url.fragment"
URL_FULL: Final = "url.full"
URL_PATH: Final = "url.path"
URL_QUERY: Final = "url.query"
URL_SCHEME: Final = "url.scheme"

__all__ = [
    "URL_FRAGMENT",
    "URL_FULL",
    "URL_PATH",
    "URL_QUERY",
    "URL_SCHEME",
]
