"""The one exception type whose message is shown to the user as is."""


class CourseError(Exception):
    """Something the user can fix; ``str(err)`` is one sentence saying what and how."""
