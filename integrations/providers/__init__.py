"""Provider adapters: HTTP in, snapshot records out, failures as ProviderError subclasses."""

from integrations.providers.errors import (
    MalformedResponse,
    ProviderCredentialsRejected,
    ProviderError,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    UnknownSubject,
)
from integrations.providers.registry import ADAPTERS, Provider, adapter_for

__all__ = [
    "ADAPTERS", "MalformedResponse", "Provider", "ProviderCredentialsRejected", "ProviderError", "ProviderTimeout",
    "ProviderUnavailable", "RateLimited", "UnknownSubject", "adapter_for",
]
