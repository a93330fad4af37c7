"""Coding tasks of assignment 3, "AI/ML systems" (syllabus A1–A10), in notebook order."""
A = "03_systems"

TASKS = []
