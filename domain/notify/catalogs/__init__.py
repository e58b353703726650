"""Message catalogs, one module per language; English is complete and every other falls back to it."""

from domain.notify.catalogs import de, en, es, fr, ja, pt

ENGLISH = "en"
CATALOGS: dict[str, dict[str, str | dict[str, str]]] = {
    "en": en.MESSAGES,
    "es": es.MESSAGES,
    "de": de.MESSAGES,
    "fr": fr.MESSAGES,
    "ja": ja.MESSAGES,
    "pt": pt.MESSAGES,
}
