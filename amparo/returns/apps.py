from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "amparo.returns"
    label = "returns"

    def ready(self) -> None:
        # What recording a return's fact checks beyond the case file's consistency.
        from amparo.returns import preconditions  # noqa: F401
