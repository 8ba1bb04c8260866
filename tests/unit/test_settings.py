"""Configuration like people write it: environments in any form, CX as Code's variables,
typos refused."""

from __future__ import annotations

from typing import Any

import pytest

from gcmap.adapters.genesys.client import resolve_base_url
from gcmap.settings import GenesysSettings, unknown_settings


@pytest.mark.parametrize("written", ["mypurecloud.ie", "eu-west-1", "EU-WEST-1",
                                     "https://api.mypurecloud.ie", "apps.mypurecloud.ie",
                                     "login.mypurecloud.ie", "HTTPS://API.MYPURECLOUD.IE/"])
def test_an_environment_written_any_usual_way_reaches_the_same_api(written: str) -> None:
    assert resolve_base_url(written, None) == "https://api.mypurecloud.ie"


def test_an_unknown_environment_names_the_choices() -> None:
    with pytest.raises(ValueError, match=r"mypurecloud\.ie"):
        resolve_base_url("mypurecloud.example", None)


def test_cx_as_code_variable_names_work(monkeypatch: Any) -> None:
    for name in ("GENESYS_CLIENT_ID", "GENESYS_CLIENT_SECRET", "GENESYS_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_ID", "tf-client")
    monkeypatch.setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "tf-secret")
    monkeypatch.setenv("GENESYSCLOUD_REGION", "eu-west-1")
    g = GenesysSettings()
    assert (g.client_id, g.client_secret.get_secret_value(), g.environment) == (
        "tf-client", "tf-secret", "eu-west-1")
    monkeypatch.setenv("GENESYS_CLIENT_ID", "mine")  # gcmap's own name wins
    assert GenesysSettings().client_id == "mine"


def test_a_mistyped_setting_is_named_with_the_one_meant() -> None:
    assert unknown_settings({"GCMAP_RATE_PERMIN": "5", "GENESYS_ENVIRONMNT": "x",
                             "GCMAP_TEST_PG_DSN": "ok", "HOME": "/root"}) == [
        "unknown setting GCMAP_RATE_PERMIN; did you mean GCMAP_RATE_PER_MIN?",
        "unknown setting GENESYS_ENVIRONMNT; did you mean GENESYS_ENVIRONMENT?"]
