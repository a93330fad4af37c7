"""nbgrader preprocessors the course adds to ``generate_assignment`` (see ``nbgrader_config.py``)."""
from __future__ import annotations

import re

from nbgrader.preprocessors import NbGraderPreprocessor

_ANSWER_ARG = re.compile(r"""(quiz\(\s*["'][A-Z]\d+[a-z]["'])\s*,\s*answer\s*=\s*[^)]*\)""")


class ClearQuizAnswers(NbGraderPreprocessor):
    """Turn ``quiz("F7a", answer="B")`` back into ``quiz("F7a")`` in the released notebook.

    The instructor's notebook records the key so that it earns full marks; students start blank.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "quiz" in cell.metadata.get("tags", []):
            cell.source = _ANSWER_ARG.sub(r"\1)", cell.source)
        return cell, resources
