from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def copy_rechecks(apps, schema_editor):
    """Each case's next look: the earliest of its obligations' (each of which already
    counted any fact dated after its evaluation)."""
    case_safeguards = apps.get_model("safeguards", "CaseSafeguards")
    obligation = apps.get_model("safeguards", "Obligation")
    earliest = (
        obligation.objects.filter(case_id=OuterRef("case_id"))
        .order_by()
        .values("case_id")
        .annotate(earliest=Min("recheck_at"))
        .values("earliest")
    )
    case_safeguards.objects.update(recheck_at=Subquery(earliest))


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
        migrations.RunPython(copy_rechecks, migrations.RunPython.noop),
        # Empty: the next evaluation of each case writes its obligations once more.
        migrations.AddField(
            model_name="obligation",
            name="fingerprint",
            field=models.CharField(
                blank=True, editable=False, max_length=32, verbose_name="fingerprint"
            ),
        ),
    ]
