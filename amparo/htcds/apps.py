from django.apps import AppConfig


class HtcdsConfig(AppConfig):
    name = "amparo.htcds"
    label = "htcds"
