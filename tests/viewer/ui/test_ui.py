"""End-to-end tests of the web UI in Debian's chromium against a real, seeded viewer."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from ui_seed import BIG_SPANS, XSS, XSS_VALUE, Seeded, sender


def shot(page: Any, name: str) -> Path:
    path = Path(page.shots) / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def open_trace(page: Any, trace_id: str, query: str = "") -> None:
    page.goto(f"/trace/{trace_id}{query}")
    expect(page.locator(".wf-row").first).to_be_visible()


def test_search_by_service_lists_only_traces_through_it(page: Any, seeded: Seeded) -> None:
    page.goto("/")
    page.select_option("select[name=service]", "payments")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape("service=payments")))
    rows = page.locator(".trace-table tbody tr")
    expect(rows).to_have_count(len(seeded.checkout_ids) + 1)
    ids = set(rows.evaluate_all("rs => rs.map(r => r.dataset.traceId)"))
    assert ids == {*seeded.checkout_ids, seeded.error_trace_id}
    expect(page.locator(".scatter .dot")).to_have_count(len(ids))
    expect(page.locator(".scatter .dot.error")).to_have_count(1)
    shot(page, "search-service")


def test_search_by_attribute_finds_the_one_trace(page: Any, seeded: Seeded) -> None:
    page.goto("/")
    page.fill("input[name=attr]", "user.id=101")
    page.click("button[type=submit]")
    rows = page.locator(".trace-table tbody tr")
    expect(rows).to_have_count(1)
    assert rows.first.get_attribute("data-trace-id") == seeded.checkout_ids[1]


def test_search_url_is_shareable(page: Any, seeded: Seeded) -> None:
    page.goto("/search?span_name=GET%20/report&errors=false")
    expect(page.locator("input[name=span_name]")).to_have_value("GET /report")
    expect(page.locator(".trace-table tbody tr")).to_have_count(2)


def test_result_opens_its_trace(page: Any, seeded: Seeded) -> None:
    page.goto("/search?service=payments")
    page.locator(f"tr[data-trace-id='{seeded.error_trace_id}'] td.root a").click()
    expect(page).to_have_url(re.compile(re.escape(f"/trace/{seeded.error_trace_id}")))
    expect(page.locator(".trace-head h1")).to_contain_text("GET /checkout")
    expect(page.locator(".wf-row.error")).to_have_count(2)


def test_waterfall_nests_spans_with_bars_matching_stored_times(page: Any, seeded: Seeded) -> None:
    trace_id = seeded.checkout_ids[0]
    open_trace(page, trace_id)
    sent = {s.name: s for s in seeded.spans[trace_id]}
    t0 = min(s.start for s in sent.values())
    total = max(s.end for s in sent.values()) - t0
    rows = page.locator(".wf-row").evaluate_all(
        """rs => rs.map(r => ({
            name: r.querySelector('.wf-span-name').textContent,
            depth: Number(r.dataset.depth),
            left: parseFloat(r.querySelector('.wf-bar').style.left),
            width: parseFloat(r.querySelector('.wf-bar').style.width)}))"""
    )
    assert [(r["name"], r["depth"]) for r in rows] == [
        ("GET /checkout", 0),
        ("load cart", 1),
        ("POST /pay", 1),
        ("charge card", 2),
    ]
    for row in rows:
        span = sent[row["name"]]
        assert abs(row["left"] - (span.start - t0) / total * 100) < 0.05
        assert abs(row["width"] - (span.end - span.start) / total * 100) < 0.05
    shot(page, "waterfall")


def test_collapse_hides_children_and_expand_shows_them(page: Any, seeded: Seeded) -> None:
    open_trace(page, seeded.checkout_ids[0])
    rows = page.locator(".wf-row")
    expect(rows).to_have_count(4)
    page.locator(".wf-row[data-depth='0'] .wf-toggle").click()
    expect(rows).to_have_count(1)
    page.locator(".wf-row[data-depth='0'] .wf-toggle").click()
    expect(rows).to_have_count(4)


def test_keyboard_moves_selection_and_updates_details(page: Any, seeded: Seeded) -> None:
    open_trace(page, seeded.checkout_ids[0])
    page.locator(".wf-scroll").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".wf-row.selected .wf-span-name")).to_have_text("load cart")
    expect(page.locator(".detail-title")).to_have_text("load cart")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")  # "POST /pay" is expanded: collapse it
    expect(page.locator(".wf-row")).to_have_count(3)
    expect(page).to_have_url(re.compile(re.escape("span=")))


def test_critical_path_marks_the_right_spans(page: Any, seeded: Seeded) -> None:
    open_trace(page, seeded.critical_trace_id)
    marked = page.locator(".wf-row[data-critical=true] .wf-span-name").all_text_contents()
    assert set(marked) == seeded.critical_expected
    shot(page, "critical-path")


def test_repeated_spans_are_flagged_with_count_and_time(page: Any, seeded: Seeded) -> None:
    open_trace(page, seeded.nplus1_trace_id)
    finding = page.locator(".findings .finding")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("12\u00d7")
    expect(finding).to_contain_text("SELECT * FROM items WHERE order_id = ?")
    expect(finding).to_contain_text("12 ms in total")
    badge = page.locator(".wf-row[data-depth='0'] .nplus1-badge")
    expect(badge).to_have_text("N+1 \u00d712")
    shot(page, "nplus1")


def test_filter_inside_a_trace_highlights_and_jumps_to_matches(page: Any, seeded: Seeded) -> None:
    open_trace(page, seeded.checkout_ids[0])
    box = page.locator(".trace-filter")
    box.fill("payments")
    box.press("Enter")
    expect(page.locator(".wf-row.match")).to_have_count(2)
    expect(page.locator(".match-count")).to_have_text("1 of 2")
    expect(page.locator(".wf-row.selected .wf-span-name")).to_have_text("POST /pay")


def test_span_details_show_attributes_and_status(page: Any, seeded: Seeded) -> None:
    open_trace(page, seeded.error_trace_id)
    page.locator(".wf-row", has_text="POST /pay").click()
    details = page.locator(".details")
    expect(details).to_contain_text("ERROR: card declined")
    expect(details.locator(".kv th", has_text="payment.amount")).to_be_visible()
    expect(details.locator(".kv td", has_text="42.5")).to_be_visible()


def test_flame_graph_selects_a_span_on_click(page: Any, seeded: Seeded) -> None:
    page.goto(f"/trace/{seeded.checkout_ids[0]}?view=flame")
    canvas = page.locator(".flame-canvas")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    canvas.click(position={"x": box["width"] * 0.6, "y": 30})  # second level, inside POST /pay
    expect(page.locator(".detail-title")).to_have_text("POST /pay")
    shot(page, "flame")


def test_compare_two_selected_traces(page: Any, seeded: Seeded) -> None:
    page.goto("/search?span_name=GET%20/report")
    for trace_id in (seeded.compare_a, seeded.compare_b):
        page.locator(f"tr[data-trace-id='{trace_id}'] input[type=checkbox]").check()
    page.get_by_role("button", name="Compare the 2 selected").click()
    expect(page).to_have_url(re.compile(re.escape("/compare?")))
    expect(page.locator(".compare-table tbody tr")).to_have_count(5)
    status = {
        row.get_attribute("data-key").split(" \u203a ")[-1]: row.get_attribute("data-status")
        for row in page.locator(".compare-table tbody tr").all()
    }
    assert status == {
        "shop: GET /report": "slower",
        "shop: auth": "same",
        "shop: query report": "slower",
        "shop: render": "removed",
        "shop: cache lookup": "added",
    }
    shot(page, "compare")


def test_span_link_opens_the_linked_trace_and_span(page: Any, seeded: Seeded) -> None:
    open_trace(page, seeded.compare_b)
    link = page.locator(".details .links a")
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile(re.escape(f"/trace/{seeded.compare_a}?span=")))
    expect(page.locator(".wf-row.selected .wf-span-name")).to_have_text("GET /report")
    expect(page.locator(".details .kv tr", has_text="report.run").first).to_contain_text("0")


def test_metric_attribute_filter_keeps_matching_series(page: Any, seeded: Seeded) -> None:
    page.goto("/metrics?name=shop.orders")
    expect(page.locator(".metric-chart")).to_have_count(2)
    page.fill(".metric-filters input", "payment.method=cash")
    page.press(".metric-filters input", "Enter")
    expect(page.locator(".metric-chart")).to_have_count(1)
    expect(page.locator(".metric-chart .series-title")).to_have_text(
        "shop \u00b7 payment.method=cash"
    )


def test_metric_charts_for_histogram_percentiles_and_counter_rate(
    page: Any, seeded: Seeded
) -> None:
    page.goto("/metrics")
    page.get_by_role("link", name="shop.checkout.duration").click()
    chart = page.locator(".metric-chart")
    expect(chart).to_have_count(1)
    for series in ("p50", "p90", "p99"):
        d = chart.locator(f"g.series[data-series={series}] path").get_attribute("d")
        assert d and d.count("L") >= 2  # at least three points over time
    shot(page, "metric-histogram")
    page.get_by_role("link", name="shop.orders").click()
    expect(page.locator(".metric-chart")).to_have_count(2)  # one per payment.method
    expect(page.locator(".metric-chart figcaption").first).to_contain_text("rate per second")


def test_log_line_leads_to_its_trace_and_span(page: Any, seeded: Seeded) -> None:
    page.goto("/logs")
    page.fill("input[name=q]", "profile loaded")
    page.press("input[name=q]", "Enter")
    rows = page.locator(".log-row")
    expect(rows).to_have_count(1)
    rows.first.locator(".trace-link").click()
    expect(page).to_have_url(
        re.compile(re.escape(f"/trace/{seeded.log_trace_id}?span={seeded.log_span_id}"))
    )
    expect(page.locator(".wf-row.selected")).to_have_attribute("data-span-id", seeded.log_span_id)
    expect(page.locator(".details .span-logs")).to_contain_text("profile loaded for user 7")


def _open_big_trace(page: Any, trace_id: str) -> tuple[float, float]:
    """Click the big trace in the results; (ms from click to drawn, ms of the API call)."""
    page.goto("/search?service=big-svc")
    page.locator(f"tr[data-trace-id='{trace_id}'] td.root a").click()
    expect(page.locator(".trace-span-count")).to_have_text(str(BIG_SPANS))
    expect(page.locator(".wf-row").first).to_be_visible()
    shown, fetch = page.evaluate(
        """(id) => [
            performance.getEntriesByName('otel-trace-shown').at(-1).startTime
              - performance.getEntriesByName('otel-route-start').at(-1).startTime,
            performance.getEntriesByType('resource')
              .filter(e => e.name.endsWith('/api/traces/' + id)).at(-1).duration]""",
        trace_id,
    )
    return float(shown), float(fetch)


def test_ten_thousand_span_trace_opens_with_few_dom_rows(
    page: Any, seeded: Seeded, record_property: Any
) -> None:
    shown_ms, fetch_ms = _open_big_trace(page, seeded.big_trace_id)
    # how long it took is recorded, not asserted: speed is measured by benchmarks, and on a
    # shared machine one open can stall behind other work
    record_property("shown_ms", round(shown_ms))
    record_property("api_ms", round(fetch_ms))
    assert page.locator(".wf-row").count() < 200  # virtualised
    page.locator(".wf-scroll").focus()
    page.keyboard.press("End")
    expect(page.locator(".wf-row.selected .wf-span-name")).to_have_text("item 99")
    shot(page, "big-trace")


def test_untrusted_names_and_values_render_as_text(page: Any, seeded: Seeded) -> None:
    page.goto("/search?service=xss-svc")
    expect(page.locator(".trace-table .root-name")).to_have_text(XSS)
    open_trace(page, seeded.xss_trace_id)
    expect(page.locator(".trace-head .root-name")).to_have_text(XSS)
    expect(page.locator(".details .kv td", has_text=XSS_VALUE).first).to_be_visible()
    expect(page.locator(".details .events")).to_contain_text(XSS)
    expect(page.locator(".details .span-logs")).to_contain_text(XSS)
    page.click("text=Flame graph")
    page.goto("/logs")
    expect(page.locator(".log-body", has_text=XSS)).to_be_visible()
    page.goto("/compare?a=" + seeded.xss_trace_id + "&b=" + seeded.xss_trace_id)
    expect(page.locator(".compare-table")).to_contain_text(XSS)
    assert page.locator("#view img, #view script").count() == 0
    # the page fixture fails the test if any dialog (alert) opened or a script error occurred


def test_service_map_shows_calls_and_error_rate(page: Any, seeded: Seeded) -> None:
    page.goto("/map")
    edge = page.locator(".edge[data-parent=shop][data-child=payments]")
    expect(edge).to_have_count(1)
    expect(edge.locator(".edge-label")).to_have_text("5 calls · 20 % errors")
    expect(page.locator(".map-node[data-service=payments]")).to_have_count(1)
    shot(page, "service-map")


def test_live_search_shows_a_new_trace_without_reload(
    page: Any, ui_viewer: Any, seeded: Seeded
) -> None:
    page.goto("/search?service=live-svc")
    expect(page.locator(".live-state")).to_have_text("live")
    expect(page.locator(".trace-table tbody tr")).to_have_count(0)
    with sender(f"http://127.0.0.1:{ui_viewer.ports['otlp_http']}") as s:
        now = time.time_ns()
        s.span("live-svc", "pushed", now, now + 1_000_000)
        s.flush()
    expect(page.locator(".trace-table tbody tr")).to_have_count(1, timeout=10_000)


def test_open_file_imports_otlp_json(page: Any, seeded: Seeded) -> None:
    trace_id = "5b8efff798038103d269b633813fc60c"
    now = time.time_ns()
    body = {
        "resourceSpans": [
            {
                "resource": {
                    "attributes": [{"key": "service.name", "value": {"stringValue": "imported"}}]
                },
                "scopeSpans": [
                    {
                        "scope": {"name": "file"},
                        "spans": [
                            {
                                "traceId": trace_id,
                                "spanId": "eee19b7ec3c1b174",
                                "name": "from a file",
                                "kind": 2,
                                "startTimeUnixNano": str(now),
                                "endTimeUnixNano": str(now + 5_000_000),
                            }
                        ],
                    }
                ],
            }
        ]
    }
    page.goto("/search?service=imported")
    page.set_input_files(
        "#open-file",
        files=[
            {
                "name": "saved.json",
                "mimeType": "application/json",
                "buffer": json.dumps(body).encode(),
            }
        ],
    )
    expect(page.locator(".toast")).to_contain_text("1 spans")
    expect(page.locator(f"tr[data-trace-id='{trace_id}']")).to_have_count(1)


def test_export_returns_the_trace_as_otlp_json(page: Any, ui_viewer: Any, seeded: Seeded) -> None:
    open_trace(page, seeded.checkout_ids[0])
    href = page.get_by_role("link", name="Download").get_attribute("href")
    with urllib.request.urlopen(f"{ui_viewer.ui_url.rstrip('/')}{href}", timeout=10) as response:
        exported = json.load(response)
    spans = [s for rs in exported["resourceSpans"] for ss in rs["scopeSpans"] for s in ss["spans"]]
    assert len(spans) == 4


def test_copy_puts_the_trace_as_otlp_json_on_the_clipboard(page: Any, seeded: Seeded) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_trace(page, seeded.checkout_ids[0])
    page.get_by_role("button", name="Copy OTLP/JSON").click()
    expect(page.locator(".toast")).to_have_text("Trace copied as OTLP/JSON")
    copied = json.loads(page.evaluate("navigator.clipboard.readText()"))
    trace_ids = {
        s["traceId"]
        for rs in copied["resourceSpans"]
        for ss in rs["scopeSpans"]
        for s in ss["spans"]
    }
    assert trace_ids == {seeded.checkout_ids[0]}


def test_dark_mode_uses_dark_colours(
    browser: Any, base_url: str, seeded: Seeded, tmp_path: Path
) -> None:
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, color_scheme="dark", base_url=base_url
    )
    try:
        page = context.new_page()
        page.goto(f"/trace/{seeded.nplus1_trace_id}")
        expect(page.locator(".wf-row").first).to_be_visible()
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(18, 22, 28)"
        page.screenshot(path=str(tmp_path / "dark-trace.png"))
    finally:
        context.close()


def test_fifty_thousand_span_trace_still_opens(page: Any, ui_viewer: Any, seeded: Seeded) -> None:
    from otel.exporter.otlp._proto._model import Resource, Scope, Span

    resource = Resource({"service.name": "huge-svc"})
    scope = Scope("ui-tests")
    trace_id = bytes.fromhex("51a7e0000000000000000000000c0ffe")
    base = time.time_ns() - 5_000_000_000
    spans = []

    def add(span_id: int, parent: int, name: str, start: int, duration: int) -> None:
        sp = Span(resource, scope)
        sp.trace_id = trace_id
        sp.span_id = span_id.to_bytes(8, "big")
        sp.parent_span_id = parent.to_bytes(8, "big") if parent else b""
        sp.name = name
        sp.kind = 1
        sp.start_time_unix_nano = start
        sp.end_time_unix_nano = start + duration
        spans.append(sp)

    add(1, 0, "huge-root", base, 3_000_000_000)
    next_id = 2
    for i in range(500):
        parent = next_id
        add(parent, 1, f"part {i}", base + i * 5_000_000, 5_000_000)
        next_id += 1
        for j in range(99):
            add(next_id, parent, f"leaf {j}", base + i * 5_000_000 + j * 50_000, 40_000)
            next_id += 1
    ui_viewer.store.ingest(spans=spans)
    page.goto(f"/trace/{trace_id.hex()}")
    expect(page.locator(".trace-span-count")).to_have_text("50001", timeout=60_000)
    expect(page.locator(".wf-row").first).to_be_visible()
    assert page.locator(".wf-row").count() < 200
    page.locator(".wf-scroll").focus()
    page.keyboard.press("End")
    expect(page.locator(".wf-row.selected .wf-span-name")).to_have_text("leaf 98")
