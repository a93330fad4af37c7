"""The quiz widget: options, a Check button, immediate feedback and answer recording."""
from __future__ import annotations

import html
import re

import ipywidgets as w

from ._bank import Question
from ._key import LETTERS, AnswerError
from ._recorder import AnswerRecorder

_GOOD = "#1a7f37"
_BAD = "#cf222e"


def markdown_inline(text: str) -> str:
    """Render the small Markdown subset quiz texts use (code, bold, italics) as HTML."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w*])\*([^*]+)\*(?![\w*])", r"<i>\1</i>", out)
    return out.replace("\n", "<br>")


def answer_call(question: Question, answer) -> str:
    """The code that records ``answer`` in the quiz cell, e.g. ``quiz("F7a", answer="B")``."""
    value = answer if question.kind == "numeric" else question.canonical(answer)
    return f'quiz("{question.qid}", answer={value!r})'.replace("'", '"')


class QuizWidget(w.VBox):
    """Interactive view of one :class:`Question`; ``on_answer`` is called with each checked answer."""

    def __init__(self, question: Question, on_answer, answer=None):
        self.question = question
        self._on_answer = on_answer
        self._attempts = 0
        header = w.HTML(
            f"<div style='font-size:0.85em;color:#57606a'>Quiz {question.qid} · syllabus {question.topic} · "
            f"{_kind_label(question)}</div><div style='margin:4px 0 6px 0'>{markdown_inline(question.prompt)}</div>"
        )
        self._boxes = []
        rows = []
        if question.kind == "numeric":
            self._number = w.Text(placeholder="a number, e.g. 0.75", layout=w.Layout(width="14em"))
            rows.append(self._number)
        else:
            for i, text in enumerate(question.options):
                box = w.Checkbox(value=False, indent=False, layout=w.Layout(width="2.2em"))
                box.observe(self._make_exclusive(i), names="value")
                self._boxes.append(box)
                label = w.HTMLMath(f"<b>{LETTERS[i]}.</b> {markdown_inline(text)}", layout=w.Layout(width="auto"))
                rows.append(w.HBox([box, label], layout=w.Layout(align_items="center")))
        self._check = w.Button(description="Check answer", button_style="primary", icon="check")
        self._check.on_click(lambda _: self.submit())
        self._explain = w.Button(description="Show explanation", layout=w.Layout(display="none"))
        self._explain.on_click(lambda _: self._show_explanation())
        self.feedback = w.HTML()
        self.note = w.HTML()
        self.recorder = AnswerRecorder(qid=question.qid)
        self.recorder.observe(self._recorded, names="status")
        super().__init__(
            [header, *rows, w.HBox([self._check, self._explain]), self.feedback, self.note, self.recorder],
            layout=w.Layout(border="1px solid #d0d7de", padding="8px 12px", margin="6px 0", width="auto"),
        )
        self.add_class("mlcourse-quiz")
        if answer is not None:
            self._preset(answer)

    def _make_exclusive(self, index):
        def handler(change):
            if change["new"] and self.question.kind == "single":
                for j, other in enumerate(self._boxes):
                    if j != index and other.value:
                        other.value = False
        return handler

    def _preset(self, answer):
        if self.question.kind == "numeric":
            self._number.value = str(answer)
        else:
            try:
                letters = self.question.canonical(answer)
            except AnswerError:
                return
            for i, box in enumerate(self._boxes):
                box.value = LETTERS[i] in letters
        self.submit(record=False)

    def current_answer(self):
        """The answer currently selected or typed, in the form ``quiz(answer=...)`` takes."""
        if self.question.kind == "numeric":
            return self._number.value
        return "".join(LETTERS[i] for i, box in enumerate(self._boxes) if box.value)

    def submit(self, record: bool = True):
        """Check the current answer, show feedback and record it in the cell."""
        answer = self.current_answer()
        try:
            canonical = self.question.canonical(answer)
            if self.question.kind == "numeric":
                answer = float(answer)
        except AnswerError as err:
            self.feedback.value = f"<span style='color:{_BAD}'>{html.escape(str(err))}</span>"
            return
        self._attempts += 1
        self._on_answer(self.question.qid, answer)
        self.feedback.value = self._feedback_html(answer, canonical)
        if record:  # a checked answer is a review event (not the replay of a saved one)
            from ..history import record_quiz_answer

            note = record_quiz_answer(self.question, answer)
            if note:
                self.feedback.value += f"<div style='color:#57606a;font-size:0.85em'>{html.escape(note)}</div>"
        if self.question.feedback:
            self._explain.layout.display = None
        if record:
            self.recorder.status = ""
            self.recorder.call = answer_call(self.question, answer)

    def _feedback_html(self, answer, canonical) -> str:
        q = self.question
        if not q.feedback:
            return f"Answer <b>{html.escape(str(canonical if q.kind != 'numeric' else answer))}</b> recorded; it is graded when you submit."
        correct = q.is_correct(answer)
        verdict = (
            f"<b style='color:{_GOOD}'>✔ Correct.</b>" if correct
            else f"<b style='color:{_BAD}'>✘ Incorrect.</b> Read why below, then try again."
        )
        parts = [verdict]
        if q.kind != "numeric":
            for letter in canonical:
                why = q.why_option(LETTERS.index(letter))
                if why:
                    parts.append(f"<div style='margin-left:1em'><b>{letter}</b>: {markdown_inline(why)}</div>")
        if correct and q.explain():
            parts.append(f"<div style='margin-top:4px'>{markdown_inline(q.explain())}</div>")
        return "".join(parts)

    def _show_explanation(self):
        self.feedback.value += f"<div style='margin-top:4px'><i>Explanation:</i> {markdown_inline(self.question.explain())}</div>"
        self._explain.layout.display = "none"

    def _recorded(self, change):
        call = html.escape(self.recorder.call)
        if change["new"] == "written":
            self.note.value = "<span style='color:#57606a;font-size:0.85em'>Answer written into this cell; it counts once the notebook is saved.</span>"
        elif change["new"] == "unavailable":
            self.note.value = (
                "<span style='color:#57606a;font-size:0.85em'>To keep this answer for grading, change this cell's code to "
                f"<code>{call}</code> and save the notebook.</span>"
            )


def _kind_label(question: Question) -> str:
    if question.kind == "single":
        return "one answer"
    if question.kind == "multiple":
        return "select all that apply"
    return f"a number (± {question.tolerance:g})"
