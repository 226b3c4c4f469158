import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Tokens get a scope and an expiry. Tokens issued before this have neither: they
    become read-only and expire at once, so their holders ask for new ones."""

    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("read_write", "Read and write")],
                default="read",
                max_length=10,
                verbose_name="scope",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="expires"
            ),
            preserve_default=False,
        ),
    ]
