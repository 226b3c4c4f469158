from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "amparo.oversight"
    label = "oversight"
