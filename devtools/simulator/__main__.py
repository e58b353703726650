"""python -m devtools.simulator: run the provider simulator."""

from __future__ import annotations

import argparse
from datetime import date

from aiohttp import web

from devtools.simulator.app import SimulatorConfig, build_app


def _pair(text: str, sep: str) -> tuple[str, str]:
    left, found, right = text.partition(sep)
    if not found:
        raise argparse.ArgumentTypeError(f"expected LEFT{sep}RIGHT, got {text!r}")
    return left, right


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devtools.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--start-date", type=date.fromisoformat, default=None, help="default: today (UTC)")
    parser.add_argument("--population", type=int, default=1_000_000, help="bookings per provider")
    parser.add_argument("--change-rate", type=float, default=60.0, help="random changes per minute (0 = off)")
    parser.add_argument("--demo-first-s", type=float, default=60.0,
                        help="seconds from POST /control/demo to the demo flights' first change")
    parser.add_argument("--demo-every-s", type=float, default=180.0, help="seconds between the demo's changes")
    parser.add_argument("--api-key", default=None, help="require 'Authorization: Bearer KEY' on /p/...")
    parser.add_argument("--amadeus-client", type=lambda t: _pair(t, ":"), action="append", default=[],
                        metavar="ID:SECRET", help="an Amadeus client (default sim-client:sim-secret)")
    parser.add_argument("--webhook", type=lambda t: _pair(t, "="), action="append", default=[],
                        metavar="PROVIDER=URL", help="push this provider's changes to URL")
    parser.add_argument("--webhook-secret", default="", help="HMAC secret for every --webhook")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    config = SimulatorConfig(
        seed=args.seed, start=args.start_date, population=args.population, change_rate=args.change_rate,
        api_key=args.api_key, amadeus_clients=dict(args.amadeus_client) or {"sim-client": "sim-secret"},
        webhooks={provider: (url, args.webhook_secret) for provider, url in args.webhook},
        demo_first_s=args.demo_first_s, demo_every_s=args.demo_every_s,
    )
    web.run_app(build_app(config), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
