"""EMAIL_URL is read strictly: every form the README shows, and loud errors for the rest."""

import pytest

from canvas_site.email_url import EmailUrlError, parse_email_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_smtp_with_starttls_and_an_encoded_password():
    got = parse_email_url("smtp://mailer%40example.org:p%3Ass%2Fw@mail.example.org:587?tls=true")
    assert got == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer@example.org",
        "EMAIL_HOST_PASSWORD": "p:ss/w",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_smtps_is_tls_from_the_start_on_port_465():
    got = parse_email_url("smtps://u:p@mail.example.org?timeout=3")
    assert (got["EMAIL_PORT"], got["EMAIL_USE_SSL"], got["EMAIL_USE_TLS"]) == (465, True, False)
    assert got["EMAIL_TIMEOUT"] == 3


def test_plain_smtp_to_a_local_relay():
    got = parse_email_url("smtp://127.0.0.1:1025")
    assert (got["EMAIL_HOST"], got["EMAIL_PORT"], got["EMAIL_HOST_USER"]) == ("127.0.0.1", 1025, "")
    assert not got["EMAIL_USE_TLS"] and not got["EMAIL_USE_SSL"]


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
    ],
)
def test_console_and_dummy(url, backend):
    assert parse_email_url(url) == {"EMAIL_BACKEND": backend}


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("smpt://mail.example.org", "must start with one of"),
        ("mail.example.org", "must start with one of"),
        ("smtp://mail.example.org?tls=yes", "'true' or 'false'"),
        ("smtp://mail.example.org?starttls=true", "unknown options: starttls"),
        ("smtps://mail.example.org?tls=true", "not both"),
        ("smtp://mail.example.org:port", "EMAIL_URL:"),
        ("smtp://mail.example.org?timeout=soon", "EMAIL_URL:"),
    ],
)
def test_what_cannot_be_understood_stops_the_start(url, says):
    with pytest.raises(EmailUrlError, match=says):
        parse_email_url(url)


def test_settings_refuse_a_bad_email_url():
    import subprocess
    import sys

    from tests.servers import ROOT

    code = "import django; django.setup()"
    env = {"EMAIL_URL": "smtp://x?tls=maybe", "DJANGO_SETTINGS_MODULE": "canvas_site.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr
