"""SMTP delivery with settings from the environment, TLS by default, retries only when safe.

A retry is safe only when the server has definitely not accepted the message: a 4xx reply, or a
connection that failed before the DATA phase. If the connection drops during DATA the server may
have accepted it; that is reported as ``AmbiguousDelivery`` and never retried automatically.
"""

from __future__ import annotations

import ipaddress
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from ssl import SSLContext

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from commentscope.errors import ConfigurationError, DigestStageError
from commentscope.settings import Environment

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SmtpSettingsError(ConfigurationError, ValueError):
    """A missing or contradictory COMMENTSCOPE_SMTP_* variable, with the fix."""


class AmbiguousDelivery(DigestStageError, RuntimeError):
    """The connection broke while the message was being handed over: it may have been delivered."""


def _flag(env: Environment, name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SmtpSettingsError(f"{name}={raw!r} is not a yes/no value: use 1 or 0")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. Build with ``SmtpSettings.from_env()``; secrets never live in files."""

    host: str
    sender: str
    port: int = 587
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    ssl: bool = False
    ca_file: str | None = None
    timeout: float = 30.0
    attempts: int = 4
    retry_wait: float = 2.0

    def __post_init__(self) -> None:
        if self.ssl and self.starttls:
            raise SmtpSettingsError(
                "COMMENTSCOPE_SMTP_SSL and COMMENTSCOPE_SMTP_STARTTLS are both on: choose one "
                "(SSL for port 465, STARTTLS for port 587)"
            )
        if self.username and not (self.ssl or self.starttls) and not _is_loopback(self.host):
            raise SmtpSettingsError(
                "refusing to send the SMTP password without TLS: set COMMENTSCOPE_SMTP_STARTTLS=1 "
                "or COMMENTSCOPE_SMTP_SSL=1"
            )
        if self.attempts < 1:
            raise SmtpSettingsError("COMMENTSCOPE_SMTP_ATTEMPTS must be at least 1")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        env = Environment.read(environ)
        host = env.text("COMMENTSCOPE_SMTP_HOST").strip()
        sender = env.text("COMMENTSCOPE_SMTP_FROM").strip()
        if not host:
            raise SmtpSettingsError(
                "COMMENTSCOPE_SMTP_HOST is not set: export it (and COMMENTSCOPE_SMTP_FROM), "
                "or use --dry-run to write the digests without sending"
            )
        if not sender:
            raise SmtpSettingsError("COMMENTSCOPE_SMTP_FROM is not set: export the sender address")
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in sender):
            raise SmtpSettingsError(
                "COMMENTSCOPE_SMTP_FROM contains a line break or control character: set one address, "
                "e.g. COMMENTSCOPE_SMTP_FROM='Digest <digest@example.org>'"
            )
        use_ssl = _flag(env, "COMMENTSCOPE_SMTP_SSL", False)
        starttls = _flag(env, "COMMENTSCOPE_SMTP_STARTTLS", not use_ssl)
        try:
            port = int(env.get("COMMENTSCOPE_SMTP_PORT") or (465 if use_ssl else 587))
            attempts = int(env.get("COMMENTSCOPE_SMTP_ATTEMPTS") or 4)
            retry_wait = float(env.get("COMMENTSCOPE_SMTP_RETRY_WAIT") or 2.0)
            timeout = float(env.get("COMMENTSCOPE_SMTP_TIMEOUT") or 30.0)
        except ValueError as exc:
            raise SmtpSettingsError(f"a numeric COMMENTSCOPE_SMTP_* variable is not a number: {exc}") from None
        return cls(
            host=host,
            sender=sender,
            port=port,
            username=env.get("COMMENTSCOPE_SMTP_USERNAME") or None,
            password=env.get("COMMENTSCOPE_SMTP_PASSWORD") or None,
            starttls=starttls,
            ssl=use_ssl,
            ca_file=env.get("COMMENTSCOPE_SMTP_CA_FILE") or None,
            timeout=timeout,
            attempts=attempts,
            retry_wait=retry_wait,
        )

    def tls_context(self) -> SSLContext:  # not ssl.SSLContext: the field `ssl` shadows the module here
        """Verifying context: system CAs, or only ``ca_file`` for a private mail relay."""
        return ssl.create_default_context(cafile=self.ca_file) if self.ca_file else ssl.create_default_context()


def is_transient(exc: BaseException) -> bool:
    """True when the server surely did not take the message and a later attempt may succeed."""
    if isinstance(exc, AmbiguousDelivery | smtplib.SMTPAuthenticationError | ssl.SSLError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError)


def _open(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=settings.tls_context()
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        client.ehlo()
        if settings.starttls:
            client.starttls(context=settings.tls_context())
            client.ehlo()
        if settings.username:
            client.login(settings.username, settings.password or "")
    except BaseException:
        client.close()
        raise
    return client


def deliver_once(settings: SmtpSettings, recipient: str, message: bytes) -> None:
    """One SMTP transaction; raises on any refusal, ``AmbiguousDelivery`` if DATA was cut off."""
    client = _open(settings)
    try:
        code, reply = client.mail(settings.sender)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, settings.sender)
        code, reply = client.rcpt(recipient)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        try:
            code, reply = client.data(message)
        except smtplib.SMTPDataError:
            raise  # refused before the message was handed over
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            raise AmbiguousDelivery(f"connection lost during DATA ({type(exc).__name__})") from exc
        if code != 250:  # smtplib returns, not raises, the reply to the message body
            raise smtplib.SMTPDataError(code, reply)
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def deliver(settings: SmtpSettings, recipient: str, message: bytes, on_attempt=None) -> int:
    """Deliver with retries (exponential wait) on transient failures; returns the attempts used."""
    attempts = 0

    def count(state: RetryCallState) -> None:
        nonlocal attempts
        attempts = state.attempt_number
        if on_attempt:
            on_attempt(attempts)

    for attempt in Retrying(
        stop=stop_after_attempt(settings.attempts),
        wait=wait_exponential(multiplier=settings.retry_wait, max=max(settings.retry_wait * 30, 1)),
        retry=retry_if_exception(is_transient),
        before=count,
        reraise=True,
    ):
        with attempt:
            deliver_once(settings, recipient, message)
    return attempts
