from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Tools that only serve development and benchmarks: the synthetic dataset generator."""

    name = "devtools"
    verbose_name = "Development tools"
