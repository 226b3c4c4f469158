"""The base every record of a person's data builds on."""

import uuid

from django.db import models


class TimestampedModel(models.Model):
    """UUID key (no guessable, countable ids in URLs) and creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
