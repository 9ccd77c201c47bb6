"""A database's and a collection's field and interest lookups are made once per definition
(``definitions.py``); a definition changed through the API is seen at once, by the answers,
the selections and the writes."""
from __future__ import annotations

from emulator.clock import Clock
from emulator.store import Store
from emulator.vendors.copernica.definitions import fields_of, interests_of
from emulator.vendors.copernica.fieldtypes import default_value
from emulator.vendors.copernica.model import Account
from emulator.vendors.copernica.subprofiles import Collections


def test_lookups_are_what_the_definition_says_and_made_once_per_list():
    fields = [{"name": "CustomerID", "type": "integer", "value": "5"}, {"name": "country", "type": "select", "value": "nl\nde"}]
    made = fields_of(fields)
    assert made.by_name == {"customerid": fields[0], "country": fields[1]}
    assert made.defaults == {"CustomerID": default_value(fields[0]), "country": ""} == {"CustomerID": "5", "country": ""}
    assert fields_of(fields) is made
    assert fields_of(list(fields)) is not made  # another list: its own lookups (equal ones)
    fields.append({"name": "email", "type": "email", "value": "a@b.c"})  # a working copy that grew
    assert fields_of(fields).defaults == {"CustomerID": "5", "country": "", "email": "a@b.c"}
    interests = [{"name": "Football"}, {"name": "baseball"}]
    assert interests_of(interests) == {"football": "Football", "baseball": "baseball"}


def test_a_field_defined_later_is_answered_selected_and_written():
    account = Account(Store(), Clock(), "acme")
    database_id = account.create_database({"name": "Newsletter"})
    account.create_field(database_id, {"name": "customerid", "type": "integer"})
    profile_id = account.create_profile(database_id, {"fields": {"customerid": 7}})
    database = account.database(database_id)
    assert account.render(account.profile(profile_id))["fields"] == {"customerid": "7"}
    assert [p["ID"] for p in account.select(database, ["customerid==7"])] == [profile_id]

    account.create_field(database_id, {"name": "Tier", "type": "text", "value": "bronze"})
    account.create_interest(database_id, {"name": "football"})
    database = account.database(database_id)
    assert account.render(account.profile(profile_id))["fields"] == {"customerid": "7", "Tier": "bronze"}
    assert [p["ID"] for p in account.select(database, ["tier==bronze"])] == [profile_id]
    assert account.update_profiles(database_id, ["customerid==7"], {"fields": {"TIER": "gold"},
                                                                    "interests": {"Football": 1}}, False) == (1, None)
    rendered = account.render(account.profile(profile_id))
    assert rendered["fields"] == {"customerid": "7", "Tier": "gold"} and rendered["interests"] == ["football"]
    assert [p["ID"] for p in account.select(account.database(database_id), ["Tier==gold"])] == [profile_id]


def test_a_collection_field_renamed_is_written_under_its_new_name():
    account = Account(Store(), Clock(), "acme")
    database_id = account.create_database({"name": "Newsletter"})
    profile_id = account.create_profile(database_id, {})
    collections = Collections(account)
    collection_id = collections.create_collection(database_id, {"name": "Orders"})
    collections.create_field(collection_id, {"name": "total", "type": "integer", "value": "1"})
    sub_id = collections.create_subprofile(profile_id, collection_id, {"total": 3})
    assert collections.render(collections.subprofile(sub_id))["fields"] == {"total": "3"}

    collections.update_field(collection_id, "total", {"name": "amount"})
    collections.update_subprofile_fields(sub_id, {"AMOUNT": 9, "total": 4})  # the old name is no field now
    assert collections.render(collections.subprofile(sub_id))["fields"] == {"amount": "9"}
    assert [s["ID"] for s in collections.select(collections.collection(collection_id), ["amount==9"])] == [sub_id]
