"""Offline data sets shipped with the course: deterministic generators, nothing downloaded."""
