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
    # The version is read once per PUBLIC_STAMP_SECONDS: here once per test, however slow.
    with override_settings(PUBLIC_CACHE_SECONDS=60, PUBLIC_STAMP_SECONDS=3600):
        publication.current()
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


# -- keys that junk cannot multiply (issue 14, finding 3) ----------------------------------


def stored_entries() -> int:
    """How many entries the default cache holds (the memory cache, or this run's Redis keys)."""
    from django.conf import settings

    if settings.REDIS_URL:
        client = cache._cache.get_client(None, write=False)
        return sum(1 for _ in client.scan_iter(match=cache.make_key("*")))
    return len(cache._cache)


def test_junk_query_strings_are_served_the_real_page_and_store_nothing(
    django_assert_num_queries,
):
    client = Client()
    first = client.get(PAGE)
    entries = stored_entries()
    with django_assert_num_queries(0):
        for n in range(300):
            assert client.get(f"{PAGE}?junk={n}&utm_source=x{n}").content == first.content
    assert stored_entries() == entries
    with django_assert_num_queries(0):
        client.get(PAGE)  # the real page is still there


def test_a_known_parameter_with_varying_values_stores_a_bounded_number_of_copies(
    settings, django_assert_num_queries
):
    settings.PAGE_CACHE_VARIANTS = 5
    client = Client()
    client.get(PAGE)
    entries = stored_entries()
    for n in range(300):
        client.get(f"{PAGE}?place=junk-{n}")
    # five copies and the per-path counter
    assert stored_entries() == entries + 5 + 1
    with django_assert_num_queries(0):
        client.get(PAGE)
    with django_assert_num_queries(0):
        client.get(f"{PAGE}?place=junk-4")  # one of the five
    with django_assert_num_queries(1):
        client.get(f"{PAGE}?place=junk-5")  # past the bound: served afresh


def test_known_parameters_are_keyed_in_any_order_and_odd_values_are_not_cached(
    django_assert_num_queries,
):
    client = Client()
    client.get(f"{PAGE}?place=barnsley&limit=5")
    with django_assert_num_queries(0):
        client.get(f"{PAGE}?limit=5&place=barnsley")
    with django_assert_num_queries(1):
        client.get(f"{PAGE}?place=%3Cscript%3E")
    with django_assert_num_queries(1):
        client.get(f"{PAGE}?place=%3Cscript%3E")  # not stored either


# -- the API's copies: 304 on a hit, retired by a publication --------------------------------

API = "/api/v1/places"


def test_a_stored_api_response_answers_304_to_a_matching_etag(django_assert_num_queries):
    client = Client()
    first = client.get(API)
    assert first.status_code == 200 and first["ETag"]
    with django_assert_num_queries(0):
        again = client.get(API, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    with django_assert_num_queries(0):
        other = client.get(API, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content


def test_a_publication_retires_stored_pages_and_api_responses_at_once(
    django_user_model, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from outcomes.models import Value
    from outcomes.services.review import proposal_approve, proposal_save, proposal_submit
    from tests.outcomes.workflow_helpers import figures

    client = Client()
    client.get(PAGE)
    client.get(API)
    officer = django_user_model.objects.get(username="officer.doncaster")
    value = Value.objects.get(
        measure__slug="employment-rate", place__slug="doncaster", period__start="2023-01-01"
    )
    v = value.version
    with django_capture_on_commit_callbacks(execute=True):
        proposal_save(
            user=officer,
            measure=value.measure,
            place=value.place,
            period=value.period,
            expected_version=v,
            figures=figures("74.7"),
            reason="ONS revised the estimate",
        )
        proposal_submit(user=officer, value=value, expected_version=v + 1)
        with django_assert_num_queries(0):
            client.get(API)  # a draft changes nothing public
        proposal_approve(
            user=django_user_model.objects.get(username="approver"),
            value=value,
            expected_version=v + 2,
        )
    # No waiting for PUBLIC_STAMP_SECONDS or PUBLIC_CACHE_SECONDS: the version moved on when
    # the approval committed, so both are read afresh, then stored again.
    with django_assert_num_queries(1):
        client.get(PAGE)
    with django_assert_num_queries(0):
        client.get(PAGE)
    assert client.get(API).status_code == 200
    with django_assert_num_queries(0):
        client.get(API)
