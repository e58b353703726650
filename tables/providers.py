"""The providers table: the provider registry, replicated to every worker (pollers anywhere read it)."""

from faust_app import app

# A GlobalTable: small reference data every worker needs whole, whichever partitions it owns.
providers = app.GlobalTable(
    "providers",
    key_type=str,
    help=(
        "provider ID -> {provider_id, kind, base_url, credentials, quota, batch_size, can_push, enabled,"
        " webhook_secret}, written by apply_provider_commands"
    ),
)
