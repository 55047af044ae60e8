"""Small talk: greetings that know the time of day, thanks and goodbyes."""

from __future__ import annotations

from assistant.plugin_api import Context, handler


def _part_of_day(ctx: Context) -> str:
    hour = ctx.now.hour
    if 5 <= hour < 12:
        return "Good morning"
    if 12 <= hour < 18:
        return "Good afternoon"
    return "Good evening"


@handler("chat.greet")
def greet(ctx: Context) -> str:
    return f"{_part_of_day(ctx)}! What can I do for you?"


@handler("chat.thanks")
def thanks(ctx: Context) -> str:
    return "You're welcome!"


@handler("chat.goodbye")
def goodbye(ctx: Context) -> str:
    return "Goodbye!"
