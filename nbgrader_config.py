"""nbgrader configuration of the course (read by nbgrader and by ``mlcourse``)."""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "mlcourse"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"
# The quiz banks are instructor material: never copy them into release/ or into a student's folder.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "quizzes.yaml"]

# Every notebook runs on the course's Python kernel.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ExecutePreprocessor.timeout = 120

# Course settings read by `mlcourse` (not by nbgrader).
# Set to False to hide right/wrong feedback in quizzes that count towards a grade; answers are
# still recorded and graded by the hidden tests.
c.MLCourse.quiz_feedback = True

# Released notebooks start with blank quizzes: strip the recorded answers from the instructor's copy.
from nbgrader.converters import GenerateAssignment  # noqa: E402
from autograder.preprocessors import ClearQuizAnswers  # noqa: E402

c.GenerateAssignment.preprocessors = [ClearQuizAnswers, *GenerateAssignment.class_traits()["preprocessors"].default()]
