from django.apps import AppConfig


class WitnessesConfig(AppConfig):
    name = "amparo.witnesses"
    label = "witnesses"
