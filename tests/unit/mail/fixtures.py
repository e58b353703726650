"""Servers for the mailbox tests: a real Dovecot (TLS on loopback, Maildir in a temporary directory), a fake OAuth."""

from __future__ import annotations

import base64
import grp
import hashlib
import imaplib
import ipaddress
import itertools
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from yarl import URL

from integrations.mail.oauth import OAuthApp, Tokens, authorization_request, exchange_code

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"
ROOT = os.geteuid() == 0
# As root, Dovecot refuses to open a mailbox as root and drops privileges to these; unprivileged, it runs as us.
MAIL_UID, MAIL_GID = (65534, 65534) if ROOT else (os.getuid(), os.getgid())
if ROOT:
    INTERNAL_USER, INTERNAL_GROUP, LOGIN_USER = "dovecot", "dovecot", "dovenull"
else:
    INTERNAL_USER = LOGIN_USER = pwd.getpwuid(os.getuid()).pw_name
    INTERNAL_GROUP = grp.getgrgid(os.getgid()).gr_name
START_DEADLINE_S = 15.0

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain login
auth_failure_delay = 0
# No chroot, so the same configuration also runs unprivileged.
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
}}
mail_location = maildir:~/Maildir
"""


def self_signed_cert() -> tuple[bytes, bytes]:
    """A certificate for 127.0.0.1 and localhost, and its key, both PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


@dataclass
class Dovecot:
    root: Path
    port: int
    cert_pem: bytes
    users: list[tuple[str, str]]
    host: str = "127.0.0.1"

    def client_context(self) -> ssl.SSLContext:
        """A context that trusts this server's certificate, as a real client trusts iCloud's."""
        return ssl.create_default_context(cadata=self.cert_pem.decode())

    def deliver(self, user: str, password: str, raw: bytes, received: datetime | None = None) -> int:
        """APPENDs ``raw`` to the user's INBOX with the stdlib client; returns its UID."""
        when = imaplib.Time2Internaldate((received or datetime.now(UTC)).timestamp())
        with imaplib.IMAP4_SSL(self.host, self.port, ssl_context=self.client_context()) as imap:
            imap.login(user, password)
            status, data = imap.append("INBOX", None, when, raw)
        assert status == "OK", data
        return int(data[0].split(b"]")[0].split()[-1])  # [APPENDUID <uidvalidity> <uid>]

    def set_uidvalidity(self, user: str, value: int) -> None:
        """What a server does after rebuilding a mailbox's index: every UID it gave before is void."""
        subprocess.run([DOVEADM, "-c", str(self.root / "dovecot.conf"), "mailbox", "update", "-u", user,
                        "--uid-validity", str(value), "INBOX"], check=True, capture_output=True, timeout=30)

    def uidvalidity(self, user: str) -> int:
        out = subprocess.run([DOVEADM, "-c", str(self.root / "dovecot.conf"), "mailbox", "status", "-u", user,
                              "uidvalidity", "INBOX"], check=True, capture_output=True, text=True, timeout=30)
        return int(out.stdout.split("uidvalidity=")[1].split()[0])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _missing_dovecot(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"dovecot is required in CI: {reason} (apt-get install dovecot-imapd)")
    pytest.skip(f"dovecot unavailable: {reason}")


def _wait_listening(proc: subprocess.Popen, port: int, root: Path) -> None:
    deadline = time.monotonic() + START_DEADLINE_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    logs = [path.read_text(errors="replace") for path in (root / "stderr.log", root / "dovecot.log") if path.exists()]
    _missing_dovecot(f"it did not start listening on {port}: {' '.join(logs)[-2000:]}")


@contextmanager
def dovecot_server(mailboxes: int = 20) -> Iterator[Dovecot]:
    """Runs ``dovecot -F`` with ``mailboxes`` users (``users``: name, password) until the block ends.

    All users exist from the start: Dovecot re-reads a changed passwd-file at most once a second.
    """
    if not (os.access(DOVECOT, os.X_OK) and os.access(DOVEADM, os.X_OK)):
        _missing_dovecot("no dovecot binary")
    root = Path(tempfile.mkdtemp(prefix="rw-dovecot-"))
    root.chmod(0o755)  # the login and mail processes run as other users and must reach into it
    proc = None
    try:
        cert, key = self_signed_cert()
        (root / "cert.pem").write_bytes(cert)
        (root / "key.pem").write_bytes(key)
        (root / "key.pem").chmod(0o600)
        (root / "mail").mkdir()
        users = [(f"traveller{n}@icloud.test", f"app-pass-{n:04d}-xyzw") for n in range(mailboxes)]
        (root / "passwd").write_text("".join(f"{name}:{{PLAIN}}{password}:{MAIL_UID}:{MAIL_GID}::{root}/mail/{name}\n"
                                             for name, password in users))
        if ROOT:
            os.chown(root / "mail", MAIL_UID, MAIL_GID)
        port = _free_port()
        (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=port, internal=INTERNAL_USER,
                                                         group=INTERNAL_GROUP, login=LOGIN_USER))
        with open(root / "stderr.log", "wb") as stderr:
            proc = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                                    stdout=subprocess.DEVNULL, stderr=stderr)
        _wait_listening(proc, port, root)
        yield Dovecot(root, port, cert, users)
    finally:
        if proc is not None:
            proc.terminate()
            with suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(root, ignore_errors=True)


class FakeAuthorizationServer:
    """An OAuth 2.0 authorization server checking what Google's and Microsoft's check, PKCE included."""

    def __init__(self, client_id: str, redirect_uri: str, *, rotate_refresh: bool) -> None:
        self.client_id = client_id
        self.redirect_uri = redirect_uri
        self.rotate_refresh = rotate_refresh  # Microsoft replaces the refresh token on every use
        self.codes: dict[str, dict] = {}
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.grants: list[dict] = []  # every token request's form, for assertions
        self.numbers = itertools.count(1)

    def routes(self, authorize_path: str, token_path: str) -> list:
        return [web.get(authorize_path, self.authorize), web.post(token_path, self.token)]

    async def authorize(self, request: web.Request) -> web.Response:
        query = request.query
        assert query["response_type"] == "code" and query["code_challenge_method"] == "S256"
        assert query["client_id"] == self.client_id and query["redirect_uri"] == self.redirect_uri
        code = f"code-{next(self.numbers)}"
        self.codes[code] = {"challenge": query["code_challenge"], "scope": query["scope"]}
        target = URL(self.redirect_uri).with_query(code=code, state=query["state"])
        raise web.HTTPFound(str(target))

    async def token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.grants.append(form)
        if form.get("client_id") != self.client_id:
            return web.json_response({"error": "invalid_client"}, status=401)
        if form["grant_type"] == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if grant is None or form.get("redirect_uri") != self.redirect_uri or challenge != grant["challenge"]:
                return web.json_response({"error": "invalid_grant", "error_description": f"bad {verifier}"},
                                         status=400)
            return web.json_response(self._issue(new_refresh=True, scope=grant["scope"]))
        if form["grant_type"] == "refresh_token" and form.get("refresh_token") in self.refresh:
            if self.rotate_refresh:
                self.refresh.discard(form["refresh_token"])
            return web.json_response(self._issue(new_refresh=self.rotate_refresh, scope=form.get("scope", "")))
        return web.json_response({"error": "invalid_grant"}, status=400)

    def _issue(self, *, new_refresh: bool, scope: str) -> dict:
        number = next(self.numbers)
        body = {"access_token": f"access-{number}", "expires_in": 3599, "token_type": "Bearer", "scope": scope}
        self.access.add(body["access_token"])
        if new_refresh:
            body["refresh_token"] = f"refresh-{number}"
            self.refresh.add(body["refresh_token"])
        return body

    def authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization", "").removeprefix("Bearer ") in self.access


async def consent(session: aiohttp.ClientSession, app: OAuthApp) -> Tokens:
    """What a traveller's browser does: visit the consent URL, come back with a code; then we exchange it."""
    request = authorization_request(app)
    async with session.get(request.url, allow_redirects=False) as response:
        assert response.status == 302
        back = URL(response.headers["Location"])
    assert str(back.with_query(None)) == app.redirect_uri and back.query["state"] == request.state
    return await exchange_code(session, app, back.query["code"], request.code_verifier)
