"""``mlcourse report``: item analysis of a graded assignment (difficulty, discrimination, distractors)."""
from .items import analyse_items
from .results import load_scores
from .writer import write_report

__all__ = ["load_scores", "analyse_items", "write_report"]
