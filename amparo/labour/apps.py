from django.apps import AppConfig


class LabourConfig(AppConfig):
    name = "amparo.labour"
    label = "labour"

    def ready(self) -> None:
        # A labour finding must come from its complaint or checklist.
        from amparo.labour import preconditions  # noqa: F401
