"""Timers live in the assistant's persistent schedule, so they ring even after a restart."""

from __future__ import annotations

import re
from datetime import timedelta

from assistant.plugin_api import Context, Job, handler
from assistant.values import describe

KIND = "timer"


def clean_label(label: str | None) -> str:
    """'the Pasta' -> 'pasta': labels are matched and shown without articles."""
    if not label:
        return ""
    return re.sub(r"^(?:the|my|a|an)\s+", "", label.strip().lower())


def _left(job: Job, ctx: Context) -> str:
    seconds = max(0, round((job.due - ctx.now).total_seconds()))
    return describe("duration", timedelta(seconds=seconds)) if seconds else "less than a second"


def _name(job: Job) -> str:
    return f"{job.label} timer" if job.label else "timer"


def _matching(ctx: Context, label: str | None) -> tuple[list[Job], str]:
    timers = ctx.scheduler.pending(KIND)
    wanted = clean_label(label)
    if not wanted:
        return timers, wanted
    return [t for t in timers if wanted in t.label or (t.label and t.label in wanted)], wanted


@handler("timer.start")
def start(ctx: Context, duration: timedelta, label: str | None) -> str:
    name = clean_label(label)
    spoken = describe("duration", duration)
    due = ctx.now + duration
    message = f"Your {name + ' ' if name else ''}timer for {spoken} is done."
    ctx.scheduler.schedule(KIND, due, message, label=name)
    ring = due.strftime("%H:%M") if duration < timedelta(days=1) else due.strftime("%A %d %B at %H:%M")
    return f"{(name + ' timer').capitalize() if name else 'Timer'} set for {spoken}; it will ring at {ring}."


@handler("timer.cancel")
def cancel(ctx: Context, label: str | None) -> str:
    timers, wanted = _matching(ctx, label)
    if not timers:
        return f"You don't have a {wanted} timer running." if wanted else "You don't have any timers running."
    everything = re.search(r"\b(all|every|timers)\b", ctx.request.text.lower()) is not None and not wanted
    chosen = timers if everything or len(timers) == 1 else [max(timers, key=lambda t: t.created)]
    for job in chosen:
        ctx.scheduler.cancel(job.id)
    if len(chosen) > 1:
        return f"Cancelled all {len(chosen)} timers."
    job = chosen[0]
    rest = len(ctx.scheduler.pending(KIND))
    still = f" You still have {rest} running." if rest else ""
    return f"Cancelled your {_name(job)} ({_left(job, ctx)} were left).{still}"


@handler("timer.remaining")
def remaining(ctx: Context, label: str | None) -> str:
    timers, wanted = _matching(ctx, label)
    if not timers:
        return f"You don't have a {wanted} timer running." if wanted else "You don't have any timers running."
    if len(timers) == 1:
        job = timers[0]
        return f"Your {_name(job)} has {_left(job, ctx)} left; it rings at {job.due:%H:%M}."
    parts = [f"{_name(t)}: {_left(t, ctx)}" for t in timers]
    return f"You have {len(timers)} timers running. " + "; ".join(parts) + "."
