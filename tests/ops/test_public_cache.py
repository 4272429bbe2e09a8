"""Public pages are cached whole for anonymous visitors only, and keep fresh security headers."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from core import publication

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ops.urls")]

PAGE = "/ops-test/published-count/"


@pytest.fixture(autouse=True)
def public_cache(db):
    cache.clear()
    with override_settings(PUBLIC_CACHE_SECONDS=60):
        publication.current()  # the shared version (one query per PUBLIC_STAMP_SECONDS)
        yield
    cache.clear()


def test_an_anonymous_visitor_gets_the_cached_page_with_fresh_headers(
    django_assert_num_queries,
):
    client = Client()
    with django_assert_num_queries(1):
        first = client.get(PAGE)
    with django_assert_num_queries(0):
        second = client.get(PAGE)
    assert second.content == first.content
    assert "max-age=60" in second["Cache-Control"]
    # the request id and the CSP are made for each response, outside the cache
    assert second["X-Request-ID"] != first["X-Request-ID"]
    assert second["Content-Security-Policy"].startswith("default-src 'self'")


def test_signed_in_users_never_get_or_fill_the_cache(admin_user, django_assert_num_queries):
    officer = Client()
    officer.force_login(admin_user)
    officer.get(PAGE)
    anonymous = Client()
    with django_assert_num_queries(1):
        anonymous.get(PAGE)  # nothing was cached by the signed-in request
    with django_assert_num_queries(0):
        anonymous.get(PAGE)  # now cached for the public...
    response = officer.get(PAGE)  # ...but not served to the officer
    assert "max-age" not in response.get("Cache-Control", "")


def test_a_response_that_sets_a_cookie_is_not_cached(client, django_assert_num_queries):
    client.get("/admin/login/")  # sets the CSRF cookie: never cached
    with django_assert_num_queries(1):
        Client().get(PAGE)
    fresh = Client()
    fresh.cookies["messages"] = "a flash message for one visitor"
    with django_assert_num_queries(1):
        fresh.get(PAGE)  # a visitor with a message waiting is served afresh


def test_htmx_fragments_and_pages_are_cached_apart():
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.cache import patch_vary_headers

    from core.middleware import PublicCacheFetchMiddleware, PublicCacheUpdateMiddleware

    def view(request):
        response = HttpResponse("fragment" if request.headers.get("HX-Request") else "page")
        patch_vary_headers(response, ["HX-Request"])
        return response

    stack = PublicCacheUpdateMiddleware(PublicCacheFetchMiddleware(view))
    factory = RequestFactory()
    assert stack(factory.get("/x/")).content == b"page"
    assert stack(factory.get("/x/", HTTP_HX_REQUEST="true")).content == b"fragment"
    assert stack(factory.get("/x/")).content == b"page"


def test_no_caching_when_switched_off(django_assert_num_queries):
    with override_settings(PUBLIC_CACHE_SECONDS=0):
        client = Client()
        client.get(PAGE)
        with django_assert_num_queries(1):
            client.get(PAGE)


def test_a_view_that_manages_its_own_caching_is_left_alone():
    """Public pages with their own validators and server copy (Cache-Control: max-age=0,
    must-revalidate, as outcomes' public pages send) are not cached a second time here, so a
    publication shows at once rather than after PUBLIC_CACHE_SECONDS."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils.cache import patch_cache_control

    from core.middleware import PublicCacheFetchMiddleware, PublicCacheUpdateMiddleware

    served = []

    def view(request):
        served.append(1)
        response = HttpResponse(f"version {len(served)}")
        patch_cache_control(response, max_age=0, must_revalidate=True)
        return response

    stack = PublicCacheUpdateMiddleware(PublicCacheFetchMiddleware(view))
    assert stack(RequestFactory().get("/y/")).content == b"version 1"
    assert stack(RequestFactory().get("/y/")).content == b"version 2"
