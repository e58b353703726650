"""The installable app: the manifest and the service worker with the app shell written in."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from web.offline import SHELL_ASSETS, manifest, service_worker
from web.pages import STATIC, static_url


def test_the_manifest_installs_a_standalone_app_with_existing_icons():
    doc = manifest("es")
    assert doc["start_url"] == "/" and doc["display"] == "standalone" and doc["lang"] == "es"
    assert doc["theme_color"].startswith("#") and doc["background_color"].startswith("#")
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in doc["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for icon in doc["icons"]:
        path = STATIC / icon["src"].removeprefix("/static/").split("?")[0]
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


def test_the_service_worker_precaches_the_shell_by_its_hashed_urls():
    source = service_worker()
    for name in SHELL_ASSETS:
        assert f'"{static_url(name)}"' in source
    assert "/* SHELL */" not in source and "/* VERSION */" not in source


@pytest.mark.skipif(shutil.which("node") is None, reason="node checks the syntax where it is installed")
def test_the_served_service_worker_is_valid_javascript(tmp_path):
    script = tmp_path / "sw.js"
    script.write_text(service_worker())
    subprocess.run(["node", "--check", str(script)], check=True)
