"""``mlcourse report``: item analysis of a graded assignment, as Moodle's quiz statistics define it.

Test statistics (mean, median, SD, skewness, kurtosis, Cronbach's α, error ratio, standard error),
item statistics for tasks and quizzes alike (facility, discrimination index, discriminative
efficiency, flags), per-variant statistics when per-student variants are on, and the answers
chosen in every quiz. Definitions are in :mod:`autograder.report.stats`.
"""
from .items import analyse_items
from .results import load_scores
from .stats import ScoreStatistics, item_statistics, score_statistics
from .writer import ReportFiles, write_report

__all__ = ["load_scores", "analyse_items", "score_statistics", "item_statistics", "ScoreStatistics",
           "write_report", "ReportFiles"]
