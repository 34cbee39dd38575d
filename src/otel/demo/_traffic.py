"""The demo's load: a bounded number of requests to the shop, paced over a duration.

Uses ``urllib`` (not traced) so every trace starts at the shop's server span.
"""

from __future__ import annotations

import json
import random
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

from otel.demo._apps import DECLINED_CARD, PRODUCTS, USERS


@dataclass
class TrafficStats:
    sent: int = 0
    failed: int = 0


def _request(url: str, body: object | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json"} if data else {}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def drive(
    shop_url: str, requests: int, duration_s: float, stop: threading.Event, stats: TrafficStats
) -> None:
    """Send ``requests`` requests spread over ``duration_s`` seconds, or until ``stop`` is set.

    Mix: 60 % checkouts (every 8th with a card that payments declines), 20 % order lists
    (the N+1 endpoint), 20 % product lists. Errors are counted, never raised.
    """
    rng = random.Random()
    pause = duration_s / max(requests, 1)
    checkouts = 0
    for i in range(requests):
        if stop.is_set():
            return
        roll = rng.random()
        try:
            if roll < 0.6 or i == 0:
                checkouts += 1
                card = DECLINED_CARD if checkouts % 8 == 0 else "4242424242424242"
                items = rng.sample(range(1, len(PRODUCTS) + 1), rng.randint(1, 3))
                status = _request(
                    f"{shop_url}/checkout",
                    {"user": rng.randint(1, USERS), "items": items, "card": card},
                )
            elif roll < 0.8:
                status = _request(f"{shop_url}/orders?user={rng.randint(1, USERS)}")
            else:
                status = _request(f"{shop_url}/products")
        except (OSError, ValueError):
            status = 0
        stats.sent += 1
        if status >= 400 or status == 0:
            stats.failed += 1
        stop.wait(pause * rng.uniform(0.5, 1.5))
