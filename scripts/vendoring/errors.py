"""The one error type of vendoring: the copy cannot be made as asked (exit status 2)."""


class VendorError(Exception):
    """Bad arguments, a target that is not a previous copy, or a source that cannot be vendored."""

    exit_code = 2
