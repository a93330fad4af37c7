"""The quiz widget: options, a Check button, feedback that teaches, and answer recording.

Colours come from JupyterLab's theme variables (``--jp-*``, with light fall-backs for other
front ends), so the quiz reads the same in the light and the dark theme.
"""
from __future__ import annotations

import html
import re
import warnings

import ipywidgets as w

from ._bank import Question
from ._key import LETTERS, AnswerError
from ._recorder import AnswerRecorder

GOOD = "var(--jp-success-color1, #1a7f37)"
BAD = "var(--jp-error-color1, #cf222e)"
MUTED = "var(--jp-ui-font-color2, #57606a)"

# Scoped to the quiz: option labels wrap between words instead of running off the cell.
_STYLE = """<style>
.mlcourse-quiz { border: 1px solid var(--jp-border-color1, #d0d7de); border-radius: 4px;
  background: var(--jp-layout-color1, transparent); color: var(--jp-content-font-color1, inherit); }
.mlcourse-quiz .widget-checkbox { width: auto; height: auto; }
.mlcourse-quiz .widget-checkbox label { white-space: normal; overflow-wrap: normal; word-break: normal;
  cursor: pointer; align-items: flex-start; line-height: 1.4; }
.mlcourse-quiz .widget-checkbox input { margin-top: 0.25em; flex: none; }
.mlcourse-quiz .mlcourse-quiz-mark { margin: 0 0 4px 2.2em; }
.mlcourse-quiz .widget-html-content { white-space: normal; }
</style>"""


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class QuizWidget(w.VBox):
    """Interactive view of one :class:`Question`; ``on_answer`` is called with each checked answer.

    Keyboard: Tab moves between the options and the buttons, Space ticks an option, Enter in the
    number field checks a numeric answer (and Enter or Space presses a focused button).
    """

    def __init__(self, question: Question, on_answer, answer=None):
        self.question = question
        self._on_answer = on_answer
        self._attempts = 0
        self._key = question.key_letters() if question.feedback else None
        header = w.HTML(
            f"{_STYLE}<div class='mlcourse-quiz-meta' style='font-size:0.85em;color:{MUTED}'>Quiz {question.qid} · "
            f"syllabus {question.topic} · {_kind_label(question)}</div>"
            f"<div class='mlcourse-quiz-prompt' style='margin:4px 0 6px 0'>{markdown_inline(question.prompt)}</div>"
        )
        self._boxes: list[w.Checkbox] = []
        self._marks: list[w.HTML] = []
        rows = []
        if question.kind == "numeric":
            self._number = w.Text(placeholder="a number, e.g. 0.75", continuous_update=True, layout=w.Layout(width="14em"))
            with warnings.catch_warnings():  # on_submit is the one event for Enter that does not also fire on blur
                warnings.simplefilter("ignore", DeprecationWarning)
                self._number.on_submit(lambda _: self.submit())
            rows.append(self._number)
        else:
            for i, text in enumerate(question.options):
                # The label wraps the box, so clicking the option's text ticks it too.
                box = w.Checkbox(value=False, indent=False, description=f"<b>{LETTERS[i]}.</b> {markdown_inline(text)}",
                                 description_allow_html=True, layout=w.Layout(width="auto"))
                box.observe(self._make_exclusive(i), names="value")
                mark = w.HTML(layout=w.Layout(display="none"))
                mark.add_class("mlcourse-quiz-mark")
                self._boxes.append(box)
                self._marks.append(mark)
                rows += [box, mark]
        self._check = w.Button(description="Check answer", button_style="primary", icon="check")
        self._check.on_click(lambda _: self.submit())
        self._explain = w.Button(description="Show explanation", layout=w.Layout(display="none"))
        self._explain.on_click(lambda _: self.show_explanation())
        self.feedback = w.HTML()
        self.explanation = w.HTML()
        self.note = w.HTML()
        self.recorder = AnswerRecorder(qid=question.qid)
        self.recorder.observe(self._recorded, names="status")
        super().__init__(
            [header, *rows, w.HBox([self._check, self._explain]), self.feedback, self.explanation, self.note, self.recorder],
            layout=w.Layout(padding="8px 12px", margin="6px 0", width="auto"),
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
            self.feedback.value = f"<span style='color:{BAD}'>{html.escape(str(err))}</span>"
            return
        self._attempts += 1
        self._on_answer(self.question.qid, answer)
        self._show_feedback(answer, canonical)
        if record:  # a checked answer is a review event (not the replay of a saved one)
            from ..history import record_quiz_answer

            note = record_quiz_answer(self.question, answer)
            if note:
                self.feedback.value += f"<div style='color:var(--jp-ui-font-color2, #57606a);font-size:0.85em'>{html.escape(note)}</div>"
        if record:
            self.recorder.status = ""
            self.recorder.call = answer_call(self.question, answer)

    def _show_feedback(self, answer, canonical) -> None:
        q = self.question
        for mark in self._marks:
            mark.layout.display = "none"
        if not q.feedback:
            shown = canonical if q.kind != "numeric" else f"{answer:g}"
            self.feedback.value = f"Answer <b>{html.escape(str(shown))}</b> recorded; it is graded when you submit."
            return
        correct = q.is_correct(answer)
        if q.kind == "numeric":
            self.feedback.value = self._numeric_verdict(answer, correct)
            self.show_explanation()  # the working is the numeric quiz's "why"
            return
        for letter in canonical:
            self._mark_option(LETTERS.index(letter))
        self.feedback.value = self._choice_verdict(canonical, correct)
        if correct:
            self.show_explanation()
        elif q.explain() and not self.explanation.value:
            self._explain.layout.display = None

    def _numeric_verdict(self, answer, correct) -> str:
        if correct:
            return f"<b style='color:{GOOD}'>✔ Correct.</b>"
        direction = self.question.direction(answer)
        where = {1: " Too low: the answer is higher.", -1: " Too high: the answer is lower."}.get(direction, "")
        return f"<b style='color:{BAD}'>✘ Incorrect.</b>{where} The working is below; try again."

    def _choice_verdict(self, canonical: str, correct: bool) -> str:
        if correct:
            return f"<b style='color:{GOOD}'>✔ Correct.</b>"
        text = f"<b style='color:{BAD}'>✘ Incorrect.</b>"
        if self._key is None:
            return text + " Each option you ticked is explained above; try again."
        if self.question.kind == "single":
            return text + " Why your option is wrong is under it; try another."
        wrong = sum(letter not in self._key for letter in canonical)
        missing = sum(letter not in canonical for letter in self._key)
        parts = []
        if wrong:
            parts.append(f"{_plural(wrong, 'ticked option')} {'is' if wrong == 1 else 'are'} wrong")
        if missing and self.question.kind == "multiple":
            parts.append(f"{_plural(missing, 'right option')} {'is' if missing == 1 else 'are'} missing")
        return f"{text} {' and '.join(parts).capitalize()}: see the marks above and try again."

    def _mark_option(self, index: int) -> None:
        why = self.question.why_option(index)
        right = self._key is not None and LETTERS[index] in self._key
        if self._key is None:
            label = ""
        elif right:
            label = f"<b style='color:{GOOD}'>✔ right to tick.</b> "
        else:
            label = f"<b style='color:{BAD}'>✘ should not be ticked.</b> "
        if not (label or why):
            return
        self._marks[index].value = f"<div style='font-size:0.95em'>{label}{markdown_inline(why)}</div>"
        self._marks[index].layout.display = None

    def show_explanation(self) -> None:
        """Show the explanation of the key once (below the verdict), and hide the button."""
        text = self.question.explain()
        if text and not self.explanation.value:
            self.explanation.value = f"<div style='margin-top:4px'><i>Explanation:</i> {markdown_inline(text)}</div>"
        self._explain.layout.display = "none"

    def _recorded(self, change):
        call = html.escape(self.recorder.call)
        if change["new"] == "written":
            self.note.value = f"<span style='color:{MUTED};font-size:0.85em'>Answer written into this cell; it counts once the notebook is saved.</span>"
        elif change["new"] == "unavailable":
            self.note.value = (
                f"<span style='color:{MUTED};font-size:0.85em'>To keep this answer for grading, change this cell's code to "
                f"<code>{call}</code> and save the notebook.</span>"
            )


def _kind_label(question: Question) -> str:
    if question.kind == "single":
        return "one answer"
    if question.kind == "multiple":
        return "select all that apply"
    return f"a number (± {question.tolerance:g})"
