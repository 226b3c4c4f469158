from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "amparo.children"
    label = "children"

    def ready(self) -> None:
        # What recording a child's fact checks beyond the case file's consistency.
        from amparo.children import preconditions  # noqa: F401
