"""Genesys Cloud regions: API host domain <-> AWS region (from the SDK's region table)."""

from __future__ import annotations

import re

__all__ = ["REGIONS", "api_host", "environment_domain", "region_of_environment",
           "region_of_host"]

# AWS region -> Genesys Cloud environment domain (login./api. hosts live under it).
REGIONS: dict[str, str] = {
    "us-east-1": "mypurecloud.com",
    "us-east-2": "use2.us-gov-pure.cloud",
    "us-west-2": "usw2.pure.cloud",
    "ca-central-1": "cac1.pure.cloud",
    "sa-east-1": "sae1.pure.cloud",
    "mx-central-1": "mxc1.pure.cloud",
    "eu-west-1": "mypurecloud.ie",
    "eu-west-2": "euw2.pure.cloud",
    "eu-central-1": "mypurecloud.de",
    "eu-central-2": "euc2.pure.cloud",
    "eusc-de-east-1": "edee1.eusc-pure.cloud",
    "me-central-1": "mec1.pure.cloud",
    "ap-south-1": "aps1.pure.cloud",
    "ap-southeast-1": "apse1.pure.cloud",
    "ap-southeast-2": "mypurecloud.com.au",
    "ap-northeast-1": "mypurecloud.jp",
    "ap-northeast-2": "apne2.pure.cloud",
    "ap-northeast-3": "apne3.pure.cloud",
}
_BY_DOMAIN = {d: r for r, d in REGIONS.items()}
_AWS_REGION = re.compile(
    r"(?:^|[.-])((?:us|eu|ap|ca|sa|me|mx|af|il|eusc)-(?:[a-z]+-)+\d)(?:[.-]|$)")


def environment_domain(environment: str) -> str:
    """The environment domain however it is written: ``mypurecloud.ie``, ``eu-west-1``,
    ``https://api.mypurecloud.ie``, ``apps.mypurecloud.ie``, ``login.…``, in any case."""
    env = environment.strip().lower()
    if env in REGIONS:
        return REGIONS[env]
    host = re.sub(r"^https?://", "", env).split("/")[0].split(":")[0].rstrip(".")
    return re.sub(r"^(api|login|apps)\.", "", host)


def api_host(environment: str) -> str:
    """``https://api.<domain>`` for an environment written any of the accepted ways."""
    return f"https://api.{environment_domain(environment)}"


def region_of_environment(environment: str) -> str | None:
    """The AWS region of a Genesys environment (domain, AWS region name or URL)."""
    return _BY_DOMAIN.get(environment_domain(environment))


def region_of_host(host: str) -> str | None:
    """The region a host names: a Genesys domain, or an AWS region inside the name."""
    host = host.lower().rstrip(".")
    for domain, region in _BY_DOMAIN.items():
        if host == domain or host.endswith("." + domain):
            return region
    m = _AWS_REGION.search(host)
    return m.group(1) if m else None
