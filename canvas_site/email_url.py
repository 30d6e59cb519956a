"""EMAIL_URL: one variable that says how mail leaves, like DATABASE_URL says where data lives.

    smtp://user:password@mail.example.org:587?tls=true   SMTP with STARTTLS
    smtps://user:password@mail.example.org               SMTP over TLS from the start (465)
    smtp://127.0.0.1:1025                                plain SMTP (a local relay, a test)
    console://                                           print each message (the default)
    dummy://                                             send nothing at all

Parsed strictly, like every setting here: an unknown scheme, option or a boolean that is not
`true`/`false` stops the start with a message, rather than mail silently going nowhere.
(dj-email-url ignores unknown schemes and reads "smtps" as STARTTLS, hence this.)
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
OPTIONS = {"tls", "ssl", "timeout"}
DEFAULT_TIMEOUT_SECONDS = 10  # a stuck mail server must not hold a request for ever


class EmailUrlError(ValueError):
    """EMAIL_URL cannot be understood; the message says what to write instead."""


def _boolean(options: dict[str, list[str]], name: str) -> bool:
    raw = options.get(name, ["false"])[-1].lower()
    if raw not in {"true", "false"}:
        raise EmailUrlError(f"EMAIL_URL's {name} must be 'true' or 'false', not {raw!r}")
    return raw == "true"


def parse_email_url(url: str) -> dict[str, object]:
    """The EMAIL_* settings that `url` stands for."""
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        known = ", ".join(f"{scheme}://" for scheme in BACKENDS)
        raise EmailUrlError(f"EMAIL_URL must start with one of {known}, not {url.split(':')[0]!r}")
    settings: dict[str, object] = {"EMAIL_BACKEND": BACKENDS[parts.scheme]}
    if parts.scheme not in {"smtp", "smtps"}:
        return settings
    options = parse_qs(parts.query, keep_blank_values=True)
    if unknown := set(options) - OPTIONS:
        raise EmailUrlError(f"EMAIL_URL has unknown options: {', '.join(sorted(unknown))}")
    use_ssl = parts.scheme == "smtps" or _boolean(options, "ssl")
    use_tls = _boolean(options, "tls")
    if use_ssl and use_tls:
        raise EmailUrlError("EMAIL_URL: choose TLS from the start (smtps://) or STARTTLS, not both")
    try:
        port = parts.port or (465 if use_ssl else 25)
        timeout = float(options.get("timeout", [DEFAULT_TIMEOUT_SECONDS])[-1])
    except ValueError as error:
        raise EmailUrlError(f"EMAIL_URL: {error}") from None
    settings.update(
        EMAIL_HOST=parts.hostname or "localhost",
        EMAIL_PORT=port,
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_TLS=use_tls,
        EMAIL_USE_SSL=use_ssl,
        EMAIL_TIMEOUT=timeout,
    )
    return settings
