"""Email from Consult: invitation and password-reset links (the standard library's
:mod:`smtplib` and :mod:`email.message`).

Only when ``CONSULT_SMTP_HOST`` is set; otherwise nothing is sent and the
admin's page shows the link to pass on. A mail server that refuses or cannot
be reached never loses the invitation: the link is shown either way, with a
sentence saying the email was not sent.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def can_send() -> bool:
    """True when a mail server is configured."""
    return bool(current_app.config.get("SMTP_HOST"))


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text email; True when the server accepted it."""
    config = current_app.config
    if not can_send():
        return False
    message = EmailMessage()
    message["From"] = config.get("MAIL_FROM") or f"consult@{config['SMTP_HOST']}"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as server:
            if config.get("SMTP_STARTTLS"):
                server.starttls()
            if config.get("SMTP_USER"):
                server.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("email to %s not sent: %s", to, error)
        return False
    return True
