"""Brakes on guessing: lockout after repeated failed logins, tokens that expire and can be revoked, a shared cache."""

import datetime

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.api.base import list_url
from tracker.client_address import resolve, trusted_networks
from tracker.settings import cache_config


class QuickPBKDF2(PBKDF2PasswordHasher):
    """A stronger hasher than the tests' MD5, cheap enough for a test."""

    iterations = 1000


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def obtain(password: str, address: str, forwarded_for: str | None = None):
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    return APIClient(REMOTE_ADDR=address, **headers).post(
        reverse("api:token-obtain"), {"username": "ana", "password": password}, format="json"
    )


@pytest.mark.django_db
class TestTokenEndpointLockout:
    def test_twenty_wrong_passwords_lock_out_that_address_but_not_the_user_elsewhere(self):
        factories.analyst(username="ana", password="s3cret-pass")
        statuses = [obtain("wrong", "10.9.0.1").status_code for _ in range(20)]
        assert statuses[0] == 400
        assert statuses[-1] == 429
        assert obtain("s3cret-pass", "10.9.0.1").status_code == 429
        response = obtain("s3cret-pass", "10.9.0.2")
        assert response.status_code == 200
        assert set(response.json()) == {"token"}

    def test_a_lockout_is_answered_in_json_with_retry_after(self):
        factories.analyst(username="ana", password="s3cret-pass")
        for _ in range(20):
            response = obtain("wrong", "10.9.0.3")
        assert response.status_code == 429
        assert "detail" in response.json()
        assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
class TestClientAddress:
    def test_a_rotating_x_forwarded_for_does_not_dodge_the_login_throttle(self):
        factories.analyst(username="ana", password="s3cret-pass")
        statuses = [obtain("s3cret-pass", "10.9.4.1", forwarded_for=f"198.51.100.{n}").status_code for n in range(21)]
        assert statuses[:20] == [200] * 20
        assert statuses[20] == 429

    def test_behind_a_trusted_proxy_a_lockout_holds_the_guessing_client_only(self, settings):
        settings.TRUSTED_PROXIES = ["10.9.4.0/24"]
        factories.analyst(username="ana", password="s3cret-pass")
        for _ in range(10):
            response = obtain("wrong", "10.9.4.2", forwarded_for="198.51.100.1")
        assert response.status_code == 429
        assert obtain("s3cret-pass", "10.9.4.2", forwarded_for="198.51.100.1").status_code == 429
        assert obtain("s3cret-pass", "10.9.4.2", forwarded_for="198.51.100.2").status_code == 200

    def test_behind_a_trusted_proxy_an_address_written_by_the_client_is_not_believed(self, settings):
        settings.TRUSTED_PROXIES = ["10.9.4.0/24"]
        factories.analyst(username="ana", password="s3cret-pass")
        statuses = [
            obtain("s3cret-pass", "10.9.4.3", forwarded_for=f"192.0.2.{n}, 198.51.100.3").status_code for n in range(21)
        ]
        assert statuses[20] == 429


@pytest.mark.parametrize(
    ("remote", "forwarded_for", "trusted", "client"),
    [
        ("203.0.113.9", "198.51.100.1", [], "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", ["10.0.0.0/8"], "203.0.113.9"),
        ("10.0.0.2", "198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.2", "192.0.2.7, 198.51.100.1, 10.0.0.1", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.2", "10.0.0.3", ["10.0.0.0/8"], "10.0.0.3"),
        ("10.0.0.2", "not-an-address", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.2", None, ["10.0.0.0/8"], "10.0.0.2"),
        ("::1", "2001:db8::5", ["::1"], "2001:db8::5"),
    ],
)
def test_the_client_is_the_first_address_no_trusted_proxy_vouches_for(remote, forwarded_for, trusted, client):
    assert resolve(remote, forwarded_for, trusted_networks(trusted)) == client


def test_a_trusted_proxy_that_is_not_an_address_stops_the_server():
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        trusted_networks(["10.0.0.0/8", "proxy.example"])


@pytest.mark.django_db
def test_repeated_failed_admin_logins_are_locked_out():
    factories.UserFactory(username="boss", password="s3cret-pass", is_staff=True)
    client = Client(REMOTE_ADDR="10.9.1.1")
    for _ in range(20):
        response = client.post(reverse("admin:login"), {"username": "boss", "password": "wrong"})
    assert response.status_code == 429
    assert client.post(reverse("admin:login"), {"username": "boss", "password": "s3cret-pass"}).status_code == 429
    other = Client(REMOTE_ADDR="10.9.1.2")
    assert other.post(reverse("admin:login"), {"username": "boss", "password": "s3cret-pass"}).status_code == 302


@pytest.mark.django_db
class TestTokenLifetime:
    def test_an_expired_token_is_refused_and_a_new_login_gives_a_new_one(self, settings):
        factories.analyst(username="ana", password="s3cret-pass")
        old = obtain("s3cret-pass", "10.9.2.1").json()["token"]
        Token.objects.filter(key=old).update(created=datetime.datetime.now(datetime.UTC) - settings.TOKEN_TTL)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
        response = client.get(list_url("agreement"))
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]
        new = obtain("s3cret-pass", "10.9.2.1").json()["token"]
        assert new != old
        client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
        assert client.get(list_url("agreement")).status_code == 200

    def test_a_token_can_be_revoked(self):
        factories.analyst(username="ana", password="s3cret-pass")
        token = obtain("s3cret-pass", "10.9.2.2").json()["token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.delete(reverse("api:token-obtain")).status_code == 204
        assert client.get(list_url("agreement")).status_code == 401

    def test_a_known_token_costs_no_query_and_goes_with_its_user(self, django_assert_num_queries):
        user = factories.analyst(username="ana", password="s3cret-pass")
        token = obtain("s3cret-pass", "10.9.2.3").json()["token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get(list_url("region"), {"limit": 1}).status_code == 200
        with django_assert_num_queries(3):  # the page's ids, its rows and the count; who asks is known from the cache
            assert client.get(list_url("region"), {"limit": 1}).status_code == 200
        user.is_active = False
        user.save()
        assert client.get(list_url("region"), {"limit": 1}).status_code == 401

    def test_a_password_set_by_an_admin_ends_the_users_tokens_at_once(self):
        user = factories.analyst(username="ana", password="s3cret-pass")
        token = obtain("s3cret-pass", "10.9.2.5").json()["token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get(list_url("region"), {"limit": 1}).status_code == 200  # now cached
        admin = Client()
        admin.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
        response = admin.post(
            reverse("admin:auth_user_password_change", args=[user.pk]),
            {"password1": "n3w-secret-pass", "password2": "n3w-secret-pass", "usable_password": "true"},
        )
        assert response.status_code == 302
        assert client.get(list_url("region"), {"limit": 1}).status_code == 401
        assert client.patch(list_url("region"), {}).status_code == 401
        assert not Token.objects.filter(user=user).exists()
        assert obtain("n3w-secret-pass", "10.9.2.5").status_code == 200

    def test_a_save_without_a_new_password_keeps_the_token(self):
        user = factories.analyst(username="ana", password="s3cret-pass")
        token = obtain("s3cret-pass", "10.9.2.6").json()["token"]
        user.first_name = "安娜"
        user.save()
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get(list_url("region"), {"limit": 1}).status_code == 200

    def test_a_login_that_rehashes_the_same_password_keeps_the_token(self, settings):
        user = factories.analyst(username="ana", password="s3cret-pass")
        token = obtain("s3cret-pass", "10.9.2.7").json()["token"]
        settings.PASSWORD_HASHERS = ["tests.api.test_login_brakes.QuickPBKDF2", "django.contrib.auth.hashers.MD5PasswordHasher"]
        client = Client()
        assert client.login(username="ana", password="s3cret-pass")
        user.refresh_from_db()
        assert user.password.startswith("pbkdf2_sha256$1000$")
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api.get(list_url("region"), {"limit": 1}).status_code == 200

    def test_a_known_token_goes_with_its_deleted_user(self):
        user = factories.analyst(username="ana", password="s3cret-pass")
        token = obtain("s3cret-pass", "10.9.2.4").json()["token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get(list_url("region"), {"limit": 1}).status_code == 200
        user.delete()
        assert client.get(list_url("region"), {"limit": 1}).status_code == 401


def test_cache_url_selects_redis_or_a_local_cache():
    assert cache_config("")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache_config("redis://127.0.0.1:6379/3") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }


def test_the_shared_redis_cache_counts_across_clients():
    """Two app servers' caches (two clients of the real Redis) see one counter, as throttling needs."""
    config = cache_config("redis://127.0.0.1:6379/14")
    first, second = (RedisCache(config["LOCATION"], {}) for _ in range(2))
    first.delete("tracker-test-counter")
    first.set("tracker-test-counter", 1, timeout=30)
    second.incr("tracker-test-counter")
    assert first.get("tracker-test-counter") == 2
    first.delete("tracker-test-counter")
