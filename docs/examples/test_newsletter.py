import requests
from newsletter import update_email


def test_update_email_changes_the_copernica_profile(emulator_intercept):
    update_email(4567, "john@new.example")
    emulator_intercept.assert_request_made("PUT", "/v3/database/1/profiles", query={"fields[]": "customerid==4567"},
                                           json={"fields": {"email": "john@new.example"}})
    profile = requests.get("https://api.copernica.com/v3/profile/1?access_token=demo-copernica-token").json()
    assert profile["fields"]["email"] == "john@new.example"
