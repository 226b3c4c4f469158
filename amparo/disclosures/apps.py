from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "amparo.disclosures"
    label = "disclosures"
