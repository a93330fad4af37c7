"""Offline data sets shipped with the course: deterministic generators, nothing downloaded."""

from .saas import load_saas_accounts, load_saas_leads, load_saas_module_usage  # noqa: E402,F401  (assignment 4)
