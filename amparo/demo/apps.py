from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "amparo.demo"
    label = "demo"
