"""Coding tasks of assignment 4, "Applied ML in a SaaS product" (syllabus Z1–Z6), in notebook order."""
A = "04_saas"

TASKS = []
