"""Search for measures and areas by name (GET /search/?q=...)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dashboards.selectors.search import search as run_search


class SearchForm(forms.Form):
    q = forms.CharField(label="Search measures and areas", max_length=100, required=False)


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        results = run_search(form.cleaned_data["q"])
    context = {
        "form": form,
        "results": results,
        "breadcrumbs": [("Home", reverse("home"))],
        "nav_section": "search",
    }
    return render(request, "dashboards/search.html", context)
