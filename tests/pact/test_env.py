import pytest

from pact import env


def test_env_bool_reads_words(monkeypatch):
    monkeypatch.setenv("PACT_X", "yes")
    assert env.env_bool("PACT_X") is True
    monkeypatch.setenv("PACT_X", "off")
    assert env.env_bool("PACT_X", True) is False


def test_env_bool_rejects_nonsense_with_clear_message(monkeypatch):
    monkeypatch.setenv("PACT_X", "maybe")
    with pytest.raises(ValueError, match="PACT_X must be a boolean"):
        env.env_bool("PACT_X")


def test_env_int_rejects_nonsense(monkeypatch):
    monkeypatch.setenv("PACT_N", "ten")
    with pytest.raises(ValueError, match="PACT_N must be a whole number"):
        env.env_int("PACT_N", 1)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, b.example ,,")
    assert env.env_list("HOSTS") == ["a.example", "b.example"]


def test_env_str_reads_secret_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("SECRET_KEY_FILE", str(secret))
    assert env.env_str("SECRET_KEY") == "s3cret"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console:", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp+tls://user:p%40ss@mail.example:587",
            {
                "EMAIL_HOST": "mail.example",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "user",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://mail.example", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
        ("file:///var/mail/pact", {"EMAIL_FILE_PATH": "/var/mail/pact"}),
    ],
)
def test_email_config_parses_urls(url, expected):
    config = env.email_config(url)
    assert {key: config[key] for key in expected} == expected


def test_email_config_rejects_unknown_scheme():
    with pytest.raises(ValueError, match="EMAIL_URL scheme 'http'"):
        env.email_config("http://example")


def test_env_cron_reads_the_fields_in_cron_order(monkeypatch):
    from celery.schedules import crontab

    monkeypatch.setenv("PACT_TEST_CRON", "30 5 20 * 1")
    schedule = crontab(**env.env_cron("PACT_TEST_CRON", "0 0 1 * *"))

    assert (schedule.minute, schedule.hour, schedule.day_of_month, schedule.day_of_week) == ({30}, {5}, {20}, {1})
    assert crontab(**env.env_cron("PACT_UNSET_CRON", "0 6 1 * *")).day_of_month == {1}


def test_env_cron_refuses_a_line_without_five_fields(monkeypatch):
    monkeypatch.setenv("PACT_TEST_CRON", "0 6 1")
    with pytest.raises(ValueError, match="five cron fields"):
        env.env_cron("PACT_TEST_CRON", "0 6 1 * *")
