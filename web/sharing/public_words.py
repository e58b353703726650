"""The public trip page's own words, by language; labels and statuses come from the notification catalogs."""

from __future__ import annotations

from domain.notify.locales import Lang

WORDS: dict[str, dict[str, str]] = {
    "en": {"trip": "Trip", "hotel": "Hotel", "car": "Car rental", "booking": "Booking", "start": "Start",
           "end": "End", "read_only": "A trip shared read-only with Road Warrior."},
    "es": {"trip": "Viaje", "hotel": "Hotel", "car": "Alquiler de coche", "booking": "Reserva", "start": "Inicio",
           "end": "Fin", "read_only": "Un viaje compartido en modo de solo lectura con Road Warrior."},
    "de": {"trip": "Reise", "hotel": "Hotel", "car": "Mietwagen", "booking": "Buchung", "start": "Beginn",
           "end": "Ende", "read_only": "Eine mit Road Warrior geteilte Reise, nur zum Ansehen."},
    "fr": {"trip": "Voyage", "hotel": "Hôtel", "car": "Location de voiture", "booking": "Réservation",
           "start": "Début", "end": "Fin", "read_only": "Un voyage partagé en lecture seule avec Road Warrior."},
    "ja": {"trip": "旅行", "hotel": "ホテル", "car": "レンタカー", "booking": "予約", "start": "開始", "end": "終了",
           "read_only": "Road Warrior で閲覧専用として共有された旅行です。"},
    "pt": {"trip": "Viagem", "hotel": "Hotel", "car": "Aluguel de carro", "booking": "Reserva", "start": "Início",
           "end": "Fim", "read_only": "Uma viagem compartilhada somente para leitura com o Road Warrior."},
}


def word(lang: Lang, key: str) -> str:
    """``key`` in ``lang``'s language, else in English (every language here has a catalog in notify)."""
    return WORDS.get(lang.catalog, {}).get(key) or WORDS["en"][key]
