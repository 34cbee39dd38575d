"""The shared HTTP helper: semantic-convention rules, excluded URLs, header capture."""

from __future__ import annotations

import pytest

from otel.instrumentation._http import (
    ExcludedUrls,
    HeaderCapture,
    client_error_type,
    error_type_of,
    excluded_urls_for,
    normalize_method,
    redact_url,
    server_error_type,
    span_name,
)
from otel.instrumentation._http._semconv import url_parts
from otel.semconv.attributes import http_attributes, url_attributes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("GET", ("GET", None)),
        ("get", ("GET", "get")),
        ("PATCH", ("PATCH", None)),
        ("FOO", ("_OTHER", "FOO")),
        (b"POST", ("POST", None)),
        ("", ("_OTHER", "")),
        (None, ("_OTHER", None)),
    ],
)
def test_methods_are_normalized(raw: object, expected: tuple[str, str | None]) -> None:
    assert normalize_method(raw) == expected


def test_span_names_use_the_route_template_or_the_method_alone() -> None:
    assert span_name("GET", "/users/<id>") == "GET /users/<id>"
    assert span_name("POST") == "POST"
    assert span_name("_OTHER") == "HTTP"
    assert span_name("_OTHER", "/x") == "HTTP /x"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://u:p@h:8/x?a=1", "http://REDACTED:REDACTED@h:8/x?a=1"),
        ("https://token@h/x", "https://REDACTED:REDACTED@h/x"),
        ("http://h/x?email=a@b", "http://h/x?email=a@b"),
        ("http://h/x?Signature=s&a=1&sig=2", "http://h/x?Signature=REDACTED&a=1&sig=REDACTED"),
        ("http://h/x?X-Goog-Signature=1#frag", "http://h/x?X-Goog-Signature=REDACTED#frag"),
        ("http://h/plain", "http://h/plain"),
    ],
)
def test_urls_are_redacted(url: str, expected: str) -> None:
    assert redact_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h/x", ("http", "h", 80)),
        ("https://u:p@H.example:8443/x", ("https", "H.example", 8443)),
        ("http://[::1]:9/x", ("http", "::1", 9)),
        ("https://[::1]/", ("https", "::1", 443)),
        ("/relative", ("", "", None)),
    ],
)
def test_url_parts(url: str, expected: tuple[str, str, int | None]) -> None:
    assert url_parts(url) == expected


def test_status_rules_differ_for_servers_and_clients() -> None:
    assert server_error_type(404) is None
    assert server_error_type(500) == "500"
    assert client_error_type(404) == "404"
    assert client_error_type(302) is None


def test_error_type_of_an_exception_is_its_qualified_class_name() -> None:
    class Custom(Exception):
        pass

    assert error_type_of(ValueError()) == "ValueError"
    assert error_type_of(Custom()).endswith(
        "test_error_type_of_an_exception_is_its_qualified_class_name.<locals>.Custom"
    )


def test_excluded_urls_are_searched_regexes() -> None:
    excluded = ExcludedUrls("health, ^https://internal/,[bad")
    assert excluded.url_disabled("http://h/healthz")
    assert excluded.url_disabled("https://internal/x")
    assert not excluded.url_disabled("http://h/users")
    assert not ExcludedUrls(None)
    assert not ExcludedUrls(" , ")


def test_library_variable_wins_over_the_generic_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_PYTHON_EXCLUDED_URLS", "generic")
    monkeypatch.setenv("OTEL_PYTHON_FLASK_EXCLUDED_URLS", "specific")
    assert excluded_urls_for("flask", None).url_disabled("http://h/specific")
    assert not excluded_urls_for("flask", None).url_disabled("http://h/generic")
    assert excluded_urls_for("requests", None).url_disabled("http://h/generic")
    assert not excluded_urls_for("requests", "").url_disabled("http://h/generic")


def test_header_capture_matches_names_and_patterns_case_insensitively() -> None:
    capture = HeaderCapture("Content-Type, x-custom-.*", "x-custom-secret", "http.request.header.")
    found = capture.capture(
        [("content-type", "text/plain"), ("X-Custom-A", "1"), ("X-Custom-A", "2"),
         ("X-Custom-Secret", "s"), ("Other", "o")]
    )  # fmt: skip
    assert found == {
        "http.request.header.content-type": ("text/plain",),
        "http.request.header.x-custom-a": ("1", "2"),
        "http.request.header.x-custom-secret": ("[REDACTED]",),
    }
    assert not HeaderCapture(None, None, "p.")


def test_semconv_constants_have_the_official_names() -> None:
    assert http_attributes.HTTP_REQUEST_METHOD == "http.request.method"
    assert http_attributes.HTTP_RESPONSE_STATUS_CODE == "http.response.status_code"
    assert http_attributes.HTTP_ROUTE == "http.route"
    assert url_attributes.URL_FULL == "url.full"


def test_semconv_modules_match_the_official_package() -> None:
    """Every constant of the official semconv attribute modules we mirror, read by the
    official venv's interpreter, has the same value in ``otel.semconv``."""
    import importlib
    import json
    import os
    import subprocess

    from .conftest import REPO

    python = REPO / "benchmarks" / ".venv-official" / "bin" / "python"
    if not python.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("benchmarks/.venv-official is missing (run scripts/setup.sh)")
        pytest.skip("benchmarks/.venv-official is missing")
    names = ["http", "url", "server", "client", "user_agent", "network", "error", "exception"]
    script = (
        "import importlib, json\n"
        f"out = {{}}\nfor n in {names!r}:\n"
        "    m = importlib.import_module(f'opentelemetry.semconv.attributes.{n}_attributes')\n"
        "    out[n] = {k: v for k, v in vars(m).items() if k.isupper() and isinstance(v, str)}\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [str(python), "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    official = json.loads(done.stdout)
    for name, constants in official.items():
        ours = importlib.import_module(f"otel.semconv.attributes.{name}_attributes")
        assert {key: getattr(ours, key, None) for key in constants} == constants
