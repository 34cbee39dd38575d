"""The demo's two Flask services.

``shop``: ``GET /products``, ``GET /orders?user=N`` (deliberately N+1: one query for the
orders, then one per order for its items), ``POST /checkout`` (reads prices, calls payments,
writes the order; a declined card makes it answer 502). ``payments``: ``POST /pay`` (a fraud
check and a charge; card ``4000000000000002`` is declined and marks the span as an error).
Both log through stdlib ``logging`` and record metrics.
"""

from __future__ import annotations

import random
import sqlite3
import time
from typing import Any

from otel import trace
from otel.demo._instrument import PostJson, connect, instrument_flask_app
from otel.demo._telemetry import ServiceTelemetry

DECLINED_CARD = "4000000000000002"
PRODUCTS = [
    ("espresso beans", 1450),
    ("milk frother", 3900),
    ("ceramic mug", 1200),
    ("pour-over kettle", 5400),
    ("paper filters", 600),
    ("grinder", 8900),
]
USERS = 5
ORDERS_PER_USER = 6


def create_database(path: str) -> None:
    """Create and fill the shop's tables (not traced: this is set-up, not traffic)."""
    rng = random.Random(7)
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price_cents INTEGER);
            CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, total_cents INTEGER);
            CREATE TABLE order_items (order_id INTEGER, product_id INTEGER, quantity INTEGER);
            """
        )
        db.executemany("INSERT INTO products (name, price_cents) VALUES (?, ?)", PRODUCTS)
        for user in range(1, USERS + 1):
            for _ in range(ORDERS_PER_USER):
                order = db.execute(
                    "INSERT INTO orders (user_id, total_cents) VALUES (?, 0)", (user,)
                ).lastrowid
                for product in rng.sample(range(1, len(PRODUCTS) + 1), 2):
                    db.execute(
                        "INSERT INTO order_items VALUES (?, ?, ?)",
                        (order, product, rng.randint(1, 3)),
                    )


def _work(low_millis: float, high_millis: float) -> None:
    time.sleep(random.uniform(low_millis, high_millis) / 1000)


def make_shop(tel: ServiceTelemetry, db_path: str, post_json: PostJson, payments_url: str) -> Any:
    """The shop's Flask app, instrumented."""
    from flask import Flask, jsonify, request

    app = Flask("shop")
    log = tel.logger
    orders_counter = tel.meter.create_counter(
        "shop.orders", unit="{order}", description="checkouts by outcome"
    )
    checkout_ms = tel.meter.create_histogram(
        "shop.checkout.duration", unit="ms", description="time to place an order"
    )

    @app.get("/products")
    def products() -> Any:
        db = connect(db_path, tel)
        try:
            cur = db.cursor()
            cur.execute("SELECT id, name, price_cents FROM products ORDER BY id")
            rows = cur.fetchall()
        finally:
            db.close()
        return jsonify([{"id": r[0], "name": r[1], "price_cents": r[2]} for r in rows])

    @app.get("/orders")
    def orders() -> Any:
        user = int(request.args.get("user", "1"))
        db = connect(db_path, tel)
        try:
            cur = db.cursor()
            cur.execute("SELECT id, total_cents FROM orders WHERE user_id = ?", (user,))
            found = cur.fetchall()
            result = []
            for order_id, total in found:  # the N+1: one query per order
                items = db.cursor()
                items.execute(
                    "SELECT product_id, quantity FROM order_items WHERE order_id = ?",
                    (order_id,),
                )
                result.append({"id": order_id, "total_cents": total, "items": items.fetchall()})
        finally:
            db.close()
        log.info("listed %d orders for user %d", len(result), user)
        return jsonify(result)

    @app.post("/checkout")
    def checkout() -> Any:
        started = time.perf_counter()
        body = request.get_json(force=True, silent=True) or {}
        user = int(body.get("user", 1))
        product_ids = [int(p) for p in body.get("items", [1])][:10] or [1]
        db = connect(db_path, tel)
        try:
            cur = db.cursor()
            marks = ",".join("?" for _ in product_ids)
            cur.execute(f"SELECT id, price_cents FROM products WHERE id IN ({marks})", product_ids)
            total = sum(price for _, price in cur.fetchall())
            status, answer = post_json(
                payments_url, {"user": user, "amount_cents": total, "card": body.get("card", "")}
            )
            if status != 200:
                reason = (answer or {}).get("error", f"payments answered {status}")
                log.warning("checkout failed for user %d: %s", user, reason)
                orders_counter.add(1, {"outcome": "declined"})
                return jsonify({"error": reason}), 502
            cur.execute("INSERT INTO orders (user_id, total_cents) VALUES (?, ?)", (user, total))
            db.commit()
        finally:
            db.close()
        elapsed = (time.perf_counter() - started) * 1000
        orders_counter.add(1, {"outcome": "placed"})
        checkout_ms.record(elapsed, {"outcome": "placed"})
        log.info("order placed for user %d: %.2f USD", user, total / 100)
        return jsonify({"status": "placed", "total_cents": total})

    instrument_flask_app(app, tel)
    return app


def make_payments(tel: ServiceTelemetry) -> Any:
    """The payments service's Flask app, instrumented."""
    from flask import Flask, jsonify, request

    app = Flask("payments")
    log = tel.logger
    tracer = tel.tracer
    processed = tel.meter.create_counter(
        "payments.processed", unit="{payment}", description="payments by outcome"
    )

    @app.post("/pay")
    def pay() -> Any:
        body = request.get_json(force=True, silent=True) or {}
        amount = int(body.get("amount_cents", 0))
        with tracer.start_as_current_span("fraud check") as check:
            _work(2, 12)
            check.set_attribute("payment.amount_cents", amount)
        if body.get("card") == DECLINED_CARD:
            span = trace.get_current_span()
            span.set_status(trace.Status(trace.StatusCode.ERROR, "card declined"))
            span.add_event("payment.declined", {"payment.reason": "insufficient funds"})
            processed.add(1, {"outcome": "declined"})
            log.error("card declined for user %s", body.get("user"))
            return jsonify({"error": "card declined"}), 402
        with tracer.start_as_current_span("charge card", kind=trace.SpanKind.INTERNAL):
            _work(5, 30)
        processed.add(1, {"outcome": "charged"})
        log.info("charged %.2f USD", amount / 100)
        return jsonify({"status": "charged"})

    instrument_flask_app(app, tel)
    return app
