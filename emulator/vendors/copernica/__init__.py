"""Copernica REST API v3 (``https://api.copernica.com/v3/…``), vendor-apis.md §4.

Where things live: ``routes`` (URLs and status codes), ``model`` (what a PUT, POST or DELETE
does to the store), ``selection`` (the ``fields`` selection parameter), ``fieldtypes`` (how a
value is stored per field type), ``requestdata`` (JSON and PHP form bodies), ``schemas``
(marshmallow: fixtures, parameters, responses), ``fixtures`` (seed and export), ``errors``.
"""
from .vendor import VENDOR

__all__ = ["VENDOR"]
