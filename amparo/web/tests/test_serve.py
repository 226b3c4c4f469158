import pytest
from django.core.management import CommandError, call_command


def test_serve_refuses_to_start_without_collected_static_files(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    with pytest.raises(CommandError, match="run `amparo collectstatic` first"):
        call_command("serve", "--port", "8799")
    with pytest.raises(CommandError, match="--port must be between"):
        call_command("serve", "--port", "0")
