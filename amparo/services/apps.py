from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "amparo.services"
    label = "services"

    def ready(self) -> None:
        # A referral's facts must say what the referral says.
        from amparo.services import preconditions  # noqa: F401
