from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_tables(sender, using="default", verbosity=1, **kwargs):
    """The rate limits' database cache needs its table; make it (if missing) after every
    migrate, so deploying needs no extra step. createcachetable skips tables that exist."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Engagement (have your say)"

    def ready(self):
        post_migrate.connect(create_cache_tables, sender=self)
