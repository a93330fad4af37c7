"""Other solutions to the tasks named below, written from each task's statement alone.

``ALTERNATIVES[task_id]["correct"]``: full sources of solution cells that do what the statement asks
in another way than the reference; each must pass. ``["wrong"]``: common mistakes that pass the
visible check; each must fail the hidden tests with a one-line message that names what is wrong.
"""

ALTERNATIVES = {}
