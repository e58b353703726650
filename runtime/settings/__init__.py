"""The worker's settings, one group per feature, read from ROADWARRIOR_* variables only by Settings.from_env.

Each field is declared once in its group's module with its variable, default, parser and meaning; the README's
settings table is generated from those declarations (``python -m runtime.settings``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import get_type_hints

from runtime.settings.accounts import Accounts
from runtime.settings.fields import SettingError, read
from runtime.settings.identity import Identity
from runtime.settings.limits import Limits
from runtime.settings.mail import Mail
from runtime.settings.notify import Notify
from runtime.settings.reports import Reports
from runtime.settings.secret import Secret
from runtime.settings.streams import Streams
from runtime.settings.tracking import Tracking
from runtime.settings.trips import Trips
from runtime.settings.vendor_reports import VendorReports
from runtime.settings.web import Web

__all__ = ["Settings", "SettingError", "Secret"]


@dataclass(frozen=True)
class Settings:
    """Everything a worker is configured with, by feature: ``settings.tracking.cycle_s``."""

    streams: Streams
    web: Web
    accounts: Accounts
    identity: Identity
    limits: Limits
    tracking: Tracking
    trips: Trips
    mail: Mail
    notify: Notify
    vendor_reports: VendorReports
    reports: Reports

    @classmethod
    def groups(cls) -> dict[str, type]:
        """Each group's class by its attribute name, in the order the docs list them."""
        return get_type_hints(cls)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``env`` (the process environment by default); raises SettingError on a bad value."""
        return cls(**read(cls.groups(), os.environ if env is None else env))
