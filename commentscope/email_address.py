"""One checked e-mail address: a CR/LF or a second address in a header would inject mail headers."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def checked_address(value: str) -> str:
    """The normalised address, or ValueError saying what is wrong with it (without repeating it).

    Deliverability is not checked (no network); reserved names such as ``.invalid`` are refused,
    ``.test`` is allowed for test set-ups (RFC 2606).
    """
    try:
        return validate_email(value, check_deliverability=False, test_environment=True).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address: {exc}") from None
