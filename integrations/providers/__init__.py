"""Provider adapters: HTTP in, snapshot records out, failures as ProviderError subclasses."""

from integrations.providers.errors import (
    AuthError,
    MalformedResponse,
    NotFound,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
)
from integrations.providers.registry import ADAPTERS, Provider, adapter_for

__all__ = [
    "ADAPTERS", "AuthError", "MalformedResponse", "NotFound", "Provider", "ProviderError", "ProviderTimeout",
    "ProviderUnavailable", "RateLimited", "adapter_for",
]
