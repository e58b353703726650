"""Year summaries shaped exactly as /api/v1/me/summary/{year} answers (docs: README "A traveller's year")."""

from __future__ import annotations


def figures(year: int, trips: int, flights: int, distance_km: int, months: dict[int, tuple[int, int, int]]) -> dict:
    return {
        "year": year, "trips": trips, "flights": flights, "distance_km": distance_km, "air_hours": 61.5,
        "airports": ["CDG", "FRA", "JFK"], "countries": ["DE", "FR", "US"],
        "cities": ["Frankfurt", "New York", "Paris"], "hotel_nights": 31, "car_rental_days": 6,
        "delays": {"count": 3, "total_minutes": 145, "longest_minutes": 80}, "cancellations": 1,
        "top_airline": {"code": "LH", "flights": 9}, "top_airport": {"code": "FRA", "visits": 14},
        "busiest_month": {"month": 3, "trips": 2, "flights": 6},
        "longest_trip": {"trip_id": "ab" * 16, "name": "Tokyo", "days": 12},
        "months": [{"month": m, "trips": months.get(m, (0, 0, 0))[0], "flights": months.get(m, (0, 0, 0))[1],
                    "distance_km": months.get(m, (0, 0, 0))[2]} for m in range(1, 13)],
        "airlines": [{"code": "LH", "flights": 9}, {"code": "AF", "flights": 4}],
        "country_visits": [{"code": "DE", "flights": 10}, {"code": "US", "flights": 7}, {"code": "FR", "flights": 3}],
    }


def summary(year: int = 2026) -> dict:
    this = figures(year, 7, 23, 41234, {3: (2, 6, 12000), 7: (1, 2, 9000)})
    previous = figures(year - 1, 9, 23, 30000, {5: (3, 8, 20000)})
    return {**this, "as_of": f"{year}-12-31T12:00:00Z", "time_zone": "Europe/Berlin", "previous": previous}


def empty(year: int = 2026) -> dict:
    nothing = figures(year, 0, 0, 0, {})
    nothing.update(airports=[], countries=[], cities=[], hotel_nights=0, car_rental_days=0, air_hours=0.0,
                   top_airline=None, top_airport=None, busiest_month=None, longest_trip=None, airlines=[],
                   country_visits=[], delays={"count": 0, "total_minutes": 0, "longest_minutes": 0},
                   cancellations=0)
    return {**nothing, "as_of": f"{year}-01-02T00:00:00Z", "time_zone": "UTC", "previous": dict(nothing)}
