"""The indicators' wording in the reader's language: every distinct text of the
ILO/European Commission indicator sets (`indicators/ilo_ec_2009.toml`), marked for
translation. The data keeps the ILO's English; a test checks that every text of the
file is here, so a new indicator cannot reach the page untranslated. The
translations are Amparo's, not the ILO's own language versions."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

TEXTS = (
    _("Abduction, forced marriage, forced adoption or selling of victim"),
    _("Abuse of cultural/religious beliefs"),
    _("Abuse of difficult family situation"),
    _("Abuse of illegal status"),
    _("Abuse of lack of education (language)"),
    _("Abuse of lack of information"),
    _("Bad living conditions"),
    _("Confiscation of documents"),
    _("Control of exploiters"),
    _("Debt bondage"),
    _("Deceived about access to education opportunities"),
    _("Deceived about conditions of work"),
    _("Deceived about content or legality of work contract"),
    _("Deceived about family reunification"),
    _("Deceived about housing and living conditions"),
    _("Deceived about legal documentation or obtaining legal migration status"),
    _("Deceived about the nature of the job, location or employer"),
    _("Deceived about travel and recruitment conditions"),
    _("Deceived about wages/earnings"),
    _("Deceived through promises of marriage or adoption"),
    _("Dependency on exploiters"),
    _("Difficulties in the past"),
    _("Difficulty to live in an unknown area"),
    _("Difficulty to organise the travel"),
    _("Economic reasons"),
    _("Excessive working days or hours"),
    _("False information about law, attitude of authorities"),
    _("False information about successful migration"),
    _("Family situation"),
    _("Forced into illicit/criminal activities"),
    _("Forced tasks or clients"),
    _("Forced to act against peers"),
    _("Forced to lie to authorities, family, etc."),
    _("General context"),
    _("Hazardous work"),
    _("Isolation, confinement or surveillance"),
    _("Low or no salary"),
    _("No access to education"),
    _("No respect of labour laws or contract signed"),
    _("No social protection (contract, social insurance, etc.)"),
    _("Personal characteristics"),
    _("Personal situation"),
    _("Psychological and emotional dependency"),
    _("Relationship with authorities/legal status"),
    _("Threat of denunciation to authorities"),
    _("Threat to impose even worse working conditions"),
    _("Threats of violence against victim"),
    _("Threats to inform family, community or public"),
    _("Under strong influence"),
    _("Very bad working conditions"),
    _("Violence on family (threats or effective)"),
    _("Violence on victims"),
    _("Wage manipulation"),
    _("Withholding of money"),
    _("Withholding of wages"),
)


def text(english: str) -> str:
    """An indicator's text in the active language (its English if untranslated)."""
    return gettext(english)
