"""A new project's code: it updates a customer's e-mail address in Copernica."""
import requests

COPERNICA = "https://api.copernica.com/v3"


def update_email(customer_id: int, email: str, token: str = "demo-copernica-token") -> None:
    response = requests.put(f"{COPERNICA}/database/1/profiles",
                            params={"access_token": token, "fields[]": f"customerid=={customer_id}"},
                            json={"fields": {"email": email}}, timeout=10)
    response.raise_for_status()
