"""The time here or anywhere in the tz database, and dates relative to today."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from assistant.plugin_api import Context, handler
from assistant.values import describe
from intents.clock.places import find_zone


def _clock(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def _day_difference(there: dt.datetime, here: dt.datetime) -> str:
    days = (there.date() - here.date()).days
    return {1: " (tomorrow there)", -1: " (yesterday there)"}.get(days, "")


@handler("clock.time")
def time_now(ctx: Context, location: str | None) -> str:
    if not location:
        return f"It's {_clock(ctx.now)}."
    found = find_zone(location)
    if found is None:
        return f"I don't know the time zone of {location}. Try a big city or a country nearby."
    zone, name = found
    there = ctx.now.astimezone(ZoneInfo(zone))
    offset = there.utcoffset()
    hours = offset.total_seconds() / 3600 if offset is not None else 0.0
    sign = "+" if hours >= 0 else "-"
    utc = f"UTC{sign}{abs(hours):g}"
    return f"It's {_clock(there)} in {name}{_day_difference(there, ctx.now)}, {utc}."


@handler("clock.date")
def date_of(ctx: Context, date: dt.date | None) -> str:
    today = ctx.now.date()
    if date is None or date == today:
        return f"Today is {describe('date', today)} {today.year}."
    days = (date - today).days
    when = "in 1 day" if days == 1 else f"in {days} days" if days > 0 else f"{-days} day{'s' if days < -1 else ''} ago"
    said = ctx.request.slot("date")
    phrase = said.raw if said is not None else "That"
    return f"{phrase[:1].upper() + phrase[1:]} is {describe('date', date)} {date.year} ({when})."
