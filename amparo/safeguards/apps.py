from django.apps import AppConfig


class SafeguardsConfig(AppConfig):
    name = "amparo.safeguards"
    label = "safeguards"
