"""The login form and the error page (served without a session)."""

from __future__ import annotations

from html import escape

from sensor_console.dashboard import STYLE, layout


def login_page(target: str, failed: bool) -> str:
    error = '<p class="error">Wrong username or password.</p>' if failed else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Log in ·'
        " dsensor console</title><style>"
        + STYLE
        + '</style></head><body><form class="login" method="post" action="/login">'
        f"<h1>dsensor console</h1>{error}"
        '<label>Username<input name="username" autocomplete="username" required></label>'
        '<label>Password<input name="password" type="password" autocomplete="current-password"'
        f' required></label><input type="hidden" name="next" value="{escape(target)}">'
        '<button type="submit">Log in</button></form></body></html>\n'
    )


def error_page(status: int, message: str) -> str:
    return layout(f"{status}", "", f"<p>{message}</p>")
