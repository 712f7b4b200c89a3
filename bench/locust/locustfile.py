"""The load scenario: what real users of MSMEBazaar do, in proportion.

- visitors (anonymous) browse and search listings, open one, look at profiles and sectors;
- buyers and investors sign in, search, open listings, ask for matches, send interests;
- owners sign in, create a profile with figures and a draft listing, run valuations, read and
  edit their profile, look at who matches their listing and who is interested;
- admins sign in and review: the verification queue, analytics, users, the audit log.

Every request is named `group: what` so the report (bench/load_report.py) can hold each group to
its target; raw timings go to `BENCH_SAMPLES` (a CSV) for exact percentiles per group.

Run by `make bench` (bench/locust/run.py), which starts the app and seeds the database.
"""

from __future__ import annotations

import csv
import itertools
import os
import random
import threading
import time
from typing import Any, ClassVar

from locust import HttpUser, between, events, task

API = "/api/v1"
SECTORS = ("food_processing", "textiles", "engineering", "it_services", "pharma", "apparel")
STATES = ("Maharashtra", "Gujarat", "Karnataka", "Tamil Nadu", "Uttar Pradesh", "Delhi")
WORDS = ("snacks", "textile", "engineering", "software", "pharma", "packaging", "logistics")
SORTS = ("newest", "price_asc", "price_desc", "revenue_desc")
_numbers = itertools.count(random.randrange(10_000, 90_000) * 1_000)
_samples: list[tuple[str, float, int, float]] = []
_samples_lock = threading.Lock()
_started = [time.monotonic()]  # reset when the test starts: samples carry seconds since then


def new_phone() -> str:
    """A mobile number nobody else in this run uses."""
    return f"+916{next(_numbers) % 1_000_000_000:09d}"


def _record(request_type: str, name: str, response_time: float, exception: Any, **_: Any) -> None:
    failed = 0 if exception is None else 1
    since_start = round(time.monotonic() - _started[0], 3)
    with _samples_lock:
        _samples.append((name.split(":", 1)[0], response_time, failed, since_start))


def _mark_start(**_: Any) -> None:
    _started[0] = time.monotonic()


def _write_samples(**_: Any) -> None:
    path = os.environ.get("BENCH_SAMPLES")
    if not path:
        return
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["group", "ms", "failed", "t"])
        writer.writerows(_samples)


events.test_start.add_listener(_mark_start)  # type: ignore[no-untyped-call]
events.request.add_listener(_record)  # type: ignore[no-untyped-call]
events.quitting.add_listener(_write_samples)  # type: ignore[no-untyped-call]


class Shared:
    """Listing ids seen so far, for users to open (filled by whoever searches first)."""

    listing_ids: ClassVar[list[str]] = []

    @classmethod
    def remember(cls, payload: dict[str, Any]) -> None:
        ids = [item["id"] for item in payload.get("data") or []]
        if ids and len(cls.listing_ids) < 5_000:
            cls.listing_ids.extend(ids)

    @classmethod
    def some_listing(cls) -> str | None:
        return random.choice(cls.listing_ids) if cls.listing_ids else None


class MarketplaceUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def search(self) -> None:
        params: dict[str, Any] = {"sort": random.choice(SORTS), "page_size": 20}
        if random.random() < 0.5:
            params["sector"] = random.choice(SECTORS)
        if random.random() < 0.3:
            params["state"] = random.choice(STATES)
        if random.random() < 0.4:
            params["q"] = random.choice(WORDS)
        with self.client.get(
            f"{API}/listings", params=params, name="browse: search listings", catch_response=True
        ) as response:
            if response.status_code == 200:
                Shared.remember(response.json())
                response.success()

    def open_listing(self) -> None:
        listing_id = Shared.some_listing()
        if listing_id:
            self.client.get(f"{API}/listings/{listing_id}", name="browse: open listing")

    def sign_in(self, role: str | None, phone: str | None = None) -> None:
        """Sign in with a code; a new phone becomes a user of `role` (an admin exists already)."""
        phone = phone or new_phone()
        requested = self.client.post(
            f"{API}/auth/otp/request", json={"phone": phone}, name="auth: request code"
        )
        body = {"phone": phone, "code": requested.json()["data"]["debug_code"]}
        if role:
            body |= {"role": role, "name": "Load Test"}
        verified = self.client.post(
            f"{API}/auth/otp/verify", json=body, name="auth: verify code"
        ).json()["data"]
        self.refresh_token = verified["refresh_token"]
        self.client.headers["Authorization"] = f"Bearer {verified['access_token']}"

    def refresh(self) -> None:
        refreshed = self.client.post(
            f"{API}/auth/token/refresh",
            json={"refresh_token": self.refresh_token},
            name="auth: refresh token",
        )
        if refreshed.status_code == 200:
            data = refreshed.json()["data"]
            self.refresh_token = data["refresh_token"]
            self.client.headers["Authorization"] = f"Bearer {data['access_token']}"


class Visitor(MarketplaceUser):
    """Anonymous browsing: the bulk of the traffic."""

    weight = 10

    @task(6)
    def search_listings(self) -> None:
        self.search()

    @task(4)
    def open_a_listing(self) -> None:
        self.open_listing()

    @task(1)
    def discover_profiles(self) -> None:
        self.client.get(
            f"{API}/msmes", params={"sector": random.choice(SECTORS)}, name="browse: profiles"
        )

    @task(1)
    def sectors(self) -> None:
        self.client.get(f"{API}/msmes/sectors", name="browse: sectors")

    @task(1)
    def readiness(self) -> None:
        self.client.get("/health/ready", name="health: ready")

    @task(1)
    def sign_up(self) -> None:
        # Sign-ins go on all day, not only while the test ramps up (when every other user class
        # signs in once): a visitor who decides to sign up, as a buyer, on a new phone.
        self.sign_in("buyer")


class Buyer(MarketplaceUser):
    """A buyer or investor with a mandate, looking for a deal."""

    weight = 5

    def on_start(self) -> None:
        self.sign_in(random.choice(("buyer", "investor")))
        mandate = self.client.post(
            f"{API}/mandates",
            json={
                "title": "Profitable manufacturer",
                "deal_types": ["full_sale", "stake_sale", "investment"],
                "sectors": random.sample(SECTORS, 2),
                "states": random.sample(STATES, 2),
                "ticket_min": 50_00_000,
                "ticket_max": 50_00_00_000,
                "thesis": "Established businesses with steady revenue and room to grow",
            },
            name="match: create mandate",
        )
        self.mandate_id = mandate.json()["data"]["id"]

    @task(4)
    def search_listings(self) -> None:
        self.search()

    @task(3)
    def open_a_listing(self) -> None:
        self.open_listing()

    @task(3)
    def matches(self) -> None:
        self.client.get(
            f"{API}/matches/mandates/{self.mandate_id}",
            params={"limit": 20},
            name="match: listings for a mandate",
        )

    @task(1)
    def send_interest(self) -> None:
        listing_id = Shared.some_listing()
        if not listing_id:
            return
        with self.client.post(
            f"{API}/listings/{listing_id}/interests",
            json={"message": "We would like to know more about this business."},
            name="interest: send",
            catch_response=True,
        ) as response:
            if response.status_code in (201, 409):  # 409: already sent to this listing
                response.success()

    @task(1)
    def my_interests(self) -> None:
        self.client.get(f"{API}/interests/mine", name="interest: mine")

    @task(1)
    def refresh_session(self) -> None:
        self.refresh()


class Owner(MarketplaceUser):
    """An owner onboarding a business, valuing it and watching who is interested."""

    weight = 4

    def on_start(self) -> None:
        self.sign_in("msme_owner")
        profile = self.client.post(f"{API}/msmes", json=_profile(), name="profile: create")
        self.msme_id = profile.json()["data"]["id"]
        self.client.put(
            f"{API}/msmes/{self.msme_id}/financials/2024-25",
            json=_financials(),
            name="profile: put financials",
        )
        listing = self.client.post(
            f"{API}/listings",
            json={
                "msme_id": self.msme_id,
                "deal_type": "full_sale",
                "asking_price": random.randrange(2, 40) * 1_00_00_000,
                "anonymous": True,
                "headline": "Growing manufacturer with loyal customers",
                "summary": "Steady revenue, own premises, trained team; owner retiring.",
            },
            name="profile: create listing",
        )
        self.listing_id = listing.json()["data"]["id"]

    @task(3)
    def read_profile(self) -> None:
        self.client.get(f"{API}/msmes/{self.msme_id}", name="profile: read")

    @task(1)
    def edit_profile(self) -> None:
        self.client.patch(
            f"{API}/msmes/{self.msme_id}",
            json={"employees": random.randrange(5, 200)},
            name="profile: update",
        )

    @task(2)
    def value_it(self) -> None:
        self.client.post(f"{API}/valuations", json={"msme_id": self.msme_id}, name="valuation: run")

    @task(2)
    def who_matches(self) -> None:
        self.client.get(
            f"{API}/matches/listings/{self.listing_id}",
            params={"limit": 20},
            name="match: mandates for a listing",
        )

    @task(1)
    def interests_received(self) -> None:
        self.client.get(f"{API}/interests/received", name="interest: received")

    @task(1)
    def my_listings(self) -> None:
        self.client.get(f"{API}/listings/mine", name="profile: my listings")


class Admin(MarketplaceUser):
    """An admin reviewing the queue and the numbers."""

    weight = 1
    wait_time = between(2, 5)
    # Every admin user signs in with the one seeded admin phone: a code requested by one would
    # replace the code another is about to verify (400 OTP_INVALID), so they take turns.
    _sign_in_turn = threading.Lock()

    def on_start(self) -> None:
        with Admin._sign_in_turn:
            self.sign_in(None, os.environ.get("BENCH_ADMIN_PHONE"))

    @task(3)
    def verification_queue(self) -> None:
        self.client.get(f"{API}/admin/verifications", name="admin: verification queue")

    @task(2)
    def analytics(self) -> None:
        self.client.get(f"{API}/admin/analytics/overview", name="admin: analytics")

    @task(1)
    def users(self) -> None:
        self.client.get(f"{API}/admin/users", params={"role": "buyer"}, name="admin: users")

    @task(1)
    def audit_log(self) -> None:
        self.client.get(f"{API}/admin/audit-log", name="admin: audit log")


def _profile() -> dict[str, Any]:
    return {
        "legal_name": f"Load Test Enterprises {random.randrange(10**6)}",
        "legal_form": "proprietorship",
        "sector": random.choice(SECTORS),
        "description": "A family business making quality products for regional markets.",
        "state": random.choice(STATES),
        "city": "Pune",
        "year_established": random.randrange(1990, 2022),
        "employees": random.randrange(5, 200),
        "investment_in_plant_machinery": random.randrange(10, 500) * 1_00_000,
    }


def _financials() -> dict[str, Any]:
    revenue = random.randrange(50, 5_000) * 1_00_000
    return {
        "revenue": revenue,
        "ebitda": revenue // random.randrange(5, 12),
        "net_profit": revenue // 20,
        "depreciation": revenue // 50,
        "interest": revenue // 100,
        "total_assets": revenue // 2,
        "total_liabilities": revenue // 5,
        "cash": revenue // 20,
        "debt": revenue // 10,
        "owner_salary": 12_00_000,
    }
