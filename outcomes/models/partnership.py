"""The partnership that runs this tracker: its name, description and areas, edited in the admin.
One per site; without one, pages use the SITE_NAME setting."""

from __future__ import annotations

from django.db import models


class Partnership(models.Model):
    name = models.CharField(
        max_length=200, help_text="e.g. South Yorkshire Integrated Care Partnership"
    )
    short_name = models.CharField(max_length=60, blank=True, help_text="e.g. South Yorkshire ICP")
    description = models.TextField(
        blank=True, help_text="A sentence or two for the home page about who the partnership is."
    )
    logo_text = models.CharField(
        max_length=60,
        blank=True,
        help_text="The service name in the page header; empty uses the SITE_SHORT_NAME setting.",
    )
    areas = models.ManyToManyField(
        "places.Place",
        blank=True,
        related_name="partnerships",
        help_text="The system and its places.",
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
