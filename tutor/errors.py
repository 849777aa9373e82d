"""The one exception a learner's bad input raises: its message names the file or field at fault."""


class InputError(ValueError):
    """Bad input from a file, a field or a command-line option; the message says what and where."""
