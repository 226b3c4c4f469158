from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "amparo.referrals"
    label = "referrals"
