"""The web layer: where a worker listens and is reached, and the limits on its requests."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.settings.fields import Derived, integer, number, setting


@dataclass(frozen=True)
class Web:
    """The worker's address, which other workers route requests to, and the API's limits."""

    host: str = setting(
        "ROADWARRIOR_WEB_HOST", "127.0.0.1",
        doc="the worker's routable name: other workers forward requests to `http://HOST:PORT`")
    port: int = setting("ROADWARRIOR_WEB_PORT", 6066, integer, doc="the worker's web port")
    bind: str = setting(
        "ROADWARRIOR_WEB_BIND", Derived(lambda values: values["ROADWARRIOR_WEB_HOST"], "`ROADWARRIOR_WEB_HOST`"),
        doc="the address the server listens on; containers bind `0.0.0.0` while the host stays their routable name")
    public_url: str = setting(
        "ROADWARRIOR_PUBLIC_URL",
        Derived(lambda values: f"http://{values['ROADWARRIOR_WEB_HOST']}:{values['ROADWARRIOR_WEB_PORT']}",
                "`http://ROADWARRIOR_WEB_HOST:ROADWARRIOR_WEB_PORT`"),
        doc="where people reach the web app (scheme and host, no trailing slash): the links in e-mails, such as "
            "a trip invitation's")
    request_timeout_s: float = setting(
        "ROADWARRIOR_REQUEST_TIMEOUT_S", 5.0, number, doc="how long a write waits for its agent before a 503")
    max_body_bytes: int = setting(
        "ROADWARRIOR_MAX_BODY_BYTES", 64 * 1024, integer, doc="request body limit (413 beyond)")
    redis_url: str | None = setting(
        "ROADWARRIOR_REDIS_URL", None,
        doc="Redis pub/sub for SSE when the stream and the producer are on different workers")
