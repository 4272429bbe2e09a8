from django.conf import settings

OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0."
)


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_SHORT_NAME": settings.SITE_SHORT_NAME,
        "OGL_ATTRIBUTION": OGL_ATTRIBUTION,
    }
