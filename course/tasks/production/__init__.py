"""Coding tasks of assignment 2, "ML in production" (syllabus S1–S20), in notebook order."""
A = "02_production"

TASKS = []
