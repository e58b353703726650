"""The year-cards table: each traveller's public links to their year's card, and the years already mailed."""

from faust_app import app

year_cards = app.Table(
    "year-cards",
    key_type=str,
    help=(
        "user ID -> {links: [{id, year, digest, created_at, revoked_at}], mailed: [year]}"
        " (domain/reports/year_cards.py), written by apply_year_card_commands"
    ),
)
