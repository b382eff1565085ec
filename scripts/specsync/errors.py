"""The one error type of the spec pipeline: bad input, exit status 2."""


class SpecInputError(Exception):
    """A source cannot be used as it is; the message names the file or pointer."""

    exit_code = 2
