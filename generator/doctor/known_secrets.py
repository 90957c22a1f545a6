"""Credentials recognisable by their format alone (AWS, GitHub, GitLab, Slack, Stripe, npm, OpenAI...),
whatever the variable that holds them is called.

The formats come from detect-secrets (Yelp), a maintained rule set that tracks the token formats
providers publish; doctor uses only its format detectors, not its entropy and keyword heuristics
(doctor's own name- and position-based rules cover those, with fewer false alarms on code).
"""

from __future__ import annotations

from functools import cache


@cache
def _detectors() -> tuple:
    from detect_secrets.plugins.artifactory import ArtifactoryDetector
    from detect_secrets.plugins.aws import AWSKeyDetector
    from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
    from detect_secrets.plugins.discord import DiscordBotTokenDetector
    from detect_secrets.plugins.github_token import GitHubTokenDetector
    from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
    from detect_secrets.plugins.mailchimp import MailchimpDetector
    from detect_secrets.plugins.npm import NpmDetector
    from detect_secrets.plugins.openai import OpenAIDetector
    from detect_secrets.plugins.pypi_token import PypiTokenDetector
    from detect_secrets.plugins.sendgrid import SendGridDetector
    from detect_secrets.plugins.slack import SlackDetector
    from detect_secrets.plugins.square_oauth import SquareOAuthDetector
    from detect_secrets.plugins.stripe import StripeDetector
    from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
    from detect_secrets.plugins.twilio import TwilioKeyDetector

    kinds = (
        ArtifactoryDetector, AWSKeyDetector, AzureStorageKeyDetector, DiscordBotTokenDetector,
        GitHubTokenDetector, GitLabTokenDetector, MailchimpDetector, NpmDetector, OpenAIDetector,
        PypiTokenDetector, SendGridDetector, SlackDetector, SquareOAuthDetector, StripeDetector,
        TelegramBotTokenDetector, TwilioKeyDetector,
    )  # fmt: skip
    return tuple(kind() for kind in kinds)


def known_format(text: str, placeholder) -> str | None:
    """The kind of credential ("AWS Access Key") `text` contains, or None. `placeholder(value)` says
    whether a match is documentation (AWS's own AKIAIOSFODNN7EXAMPLE)."""
    for detector in _detectors():
        for match in detector.analyze_string(text):
            value = match if isinstance(match, str) else "".join(match)
            if value and not placeholder(value):
                return str(detector.secret_type)
    return None
