from django.apps import AppConfig


class SimilarConfig(AppConfig):
    name = "similar"
    verbose_name = "Find similar decisions"
