"""Settings from explicit environments, the app built from them, dev secrets written only when read, the README."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from faust.types.enums import ProcessingGuarantee

from faust_app import create_app
from runtime.settings import SettingError, Settings
from runtime.settings.fields import specs
from runtime.settings.readme import COMMAND, END, START, markdown, with_table

ROOT = Path(__file__).parents[2]


def test_defaults_and_derived_defaults(tmp_path):
    settings = Settings.from_env({"ROADWARRIOR_DATA_DIR": str(tmp_path / "data"), "ROADWARRIOR_WEB_HOST": "w1",
                                  "ROADWARRIOR_WEB_PORT": "6070"})
    assert settings.streams.partitions == 4 and settings.streams.app_id == "roadwarrior"
    assert settings.tracking.cycle_s == 300.0 and settings.notify.smtp_host is None
    assert settings.web.bind == "w1"   # the bind address falls back to the host
    assert settings.mail.oauth_redirect_uri == "http://w1:6070/api/v1/oauth/callback"


def test_set_values_are_parsed_and_empty_means_unset():
    settings = Settings.from_env({"ROADWARRIOR_PARTITIONS": "12", "ROADWARRIOR_WEB_BIND": "0.0.0.0",
                                  "ROADWARRIOR_MAIL_ALLOW_LOCAL_HOSTS": "1", "ROADWARRIOR_TRACKING_JOIN_BATCH": "0",
                                  "ROADWARRIOR_ADMIN_EMAIL": "", "ROADWARRIOR_SMTP_PORT": "",
                                  "ROADWARRIOR_DATA_DIR": "relative/data"})
    assert settings.streams.partitions == 12 and settings.web.bind == "0.0.0.0"
    assert settings.mail.allow_local_hosts is True
    assert settings.tracking.join_batch == 1   # raised to one event at a time
    assert settings.accounts.admin_email is None and settings.notify.smtp_port == 25
    assert settings.streams.data_dir == Path("relative/data").resolve()


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("ROADWARRIOR_PARTITIONS", "x", "ROADWARRIOR_PARTITIONS must be an integer, got 'x'"),
    ("ROADWARRIOR_TRACKING_CYCLE_S", "5m", "ROADWARRIOR_TRACKING_CYCLE_S must be a number, got '5m'"),
    ("ROADWARRIOR_MAIL_ALLOW_LOCAL_HOSTS", "yes", "ROADWARRIOR_MAIL_ALLOW_LOCAL_HOSTS must be 1 (on) or 0 (off)"),
    ("ROADWARRIOR_SMTP_TLS", "ssl", "ROADWARRIOR_SMTP_TLS must be one of auto, starttls, tls, none, got 'ssl'"),
])
def test_a_bad_value_names_its_variable(variable, value, message):
    with pytest.raises(SettingError) as error:
        Settings.from_env({variable: value})
    assert str(error.value).startswith(message)


def test_dev_secrets_are_written_when_first_read_and_kept(tmp_path):
    env = {"ROADWARRIOR_DATA_DIR": str(tmp_path / "data")}
    settings = Settings.from_env(env)
    assert list(tmp_path.iterdir()) == []
    secret = settings.accounts.jwt_secret.value
    assert (tmp_path / "secrets" / "jwt-secret").read_text() == secret
    assert secret not in repr(settings)
    assert Settings.from_env(env).accounts.jwt_secret.value == secret   # a restarted worker signs with the same
    assert len(settings.mail.secrets_keys.value) == 43   # 32 bytes, base64url without padding
    assert sorted(path.name for path in (tmp_path / "secrets").iterdir()) == ["jwt-secret", "mail-secrets"]


def test_a_set_secret_is_used_and_nothing_is_written(tmp_path):
    settings = Settings.from_env({"ROADWARRIOR_DATA_DIR": str(tmp_path / "data"),
                                  "ROADWARRIOR_VAPID_PRIVATE_KEY": "vapid-key"})
    assert settings.notify.vapid_private_key.value == "vapid-key"
    assert list(tmp_path.iterdir()) == []


def test_an_app_is_built_from_explicit_settings(tmp_path):
    settings = Settings.from_env({
        "ROADWARRIOR_BROKER": "kafka://k1:9093;kafka://k2:9093", "ROADWARRIOR_STORE": "memory://",
        "ROADWARRIOR_DATA_DIR": str(tmp_path / "data"), "ROADWARRIOR_PARTITIONS": "8",
        "ROADWARRIOR_APP_ID": "rw-test", "ROADWARRIOR_PROCESSING_GUARANTEE": "exactly_once",
        "ROADWARRIOR_WEB_HOST": "worker-1", "ROADWARRIOR_WEB_PORT": "6070", "ROADWARRIOR_WEB_BIND": "0.0.0.0"})
    conf = create_app(settings).conf
    assert conf.id == "rw-test"
    assert [str(url) for url in conf.broker] == ["kafka://k1:9093", "kafka://k2:9093"]
    assert str(conf.store) == "memory:" and conf.datadir == tmp_path / "data"
    assert conf.topic_partitions == 8
    assert conf.processing_guarantee is ProcessingGuarantee.EXACTLY_ONCE
    assert (conf.web_host, conf.web_port, conf.web_bind) == ("worker-1", 6070, "0.0.0.0")
    assert str(conf.canonical_url) == "http://worker-1:6070"
    assert list(tmp_path.iterdir()) == []


def test_importing_the_app_writes_nothing(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith("ROADWARRIOR_")}
    env["ROADWARRIOR_DATA_DIR"] = str(tmp_path / "data")
    subprocess.run([sys.executable, "-c", "import faust_app; faust_app.app.conf.datadir"], cwd=ROOT, env=env,
                   check=True, timeout=60)
    assert list(tmp_path.iterdir()) == []


def test_every_setting_is_declared_once_with_a_meaning():
    declared = [spec for group in Settings.groups().values() for _, spec in specs(group)]
    variables = [spec.env for spec in declared]
    assert len(variables) == len(set(variables))
    assert all(name.startswith("ROADWARRIOR_") for name in variables)
    assert all(spec.doc for spec in declared)


def test_the_readme_table_is_the_generated_one():
    readme = (ROOT / "README.md").read_text()
    assert readme == with_table(readme), f"README.md's settings table differs from the code: run `{COMMAND}`"


def test_the_table_replaces_only_the_text_between_its_markers():
    assert with_table(f"before\n{START}\nold\n{END}\nafter") == f"before\n{START}\n{markdown()}\n{END}\nafter"
    with pytest.raises(ValueError, match="markers"):
        with_table("no table here")
