from django.db import migrations, models
from django.db.models.functions import Now


def look_again_at_every_case(apps, schema_editor):
    """Every case not anonymised is due for the next `refresh`: its obligations gain
    their fingerprints and lose the running day counts of their details, even where
    no moment is left to bring it back (a detention past its maximum)."""
    case_safeguards = apps.get_model("safeguards", "CaseSafeguards")
    case_safeguards.objects.filter(case__anonymised_at__isnull=True).update(
        recheck_at=Now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_event_fact_recorded"),
        ("safeguards", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="obligation",
            name="safeguards_oblig_recheck_idx",
        ),
        migrations.AddField(
            model_name="casesafeguards",
            name="recheck_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="next check"
            ),
        ),
        migrations.AddIndex(
            model_name="casesafeguards",
            index=models.Index(
                condition=models.Q(("recheck_at__isnull", False)),
                fields=["recheck_at"],
                name="safeguards_case_recheck_idx",
            ),
        ),
        # Empty: the next evaluation of each case writes its obligations once more.
        migrations.AddField(
            model_name="obligation",
            name="fingerprint",
            field=models.CharField(
                blank=True, editable=False, max_length=32, verbose_name="fingerprint"
            ),
        ),
        migrations.RunPython(look_again_at_every_case, migrations.RunPython.noop),
    ]
