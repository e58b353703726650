"""Project commands for the `faust -A faust_app` CLI (registered with @app.command, found by autodiscover)."""
