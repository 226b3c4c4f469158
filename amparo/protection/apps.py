from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "amparo.protection"
    label = "protection"

    def ready(self) -> None:
        # What recording a protection fact checks beyond the case file's consistency.
        from amparo.protection import preconditions  # noqa: F401
