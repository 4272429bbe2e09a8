from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from outcomes.models import Outcome


def home(request: HttpRequest) -> HttpResponse:
    """A temporary home page listing the outcomes; the dashboard will replace it."""
    return render(request, "home.html", {"outcomes": Outcome.objects.all()})
