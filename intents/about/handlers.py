"""What the assistant can do (from the installed plugins) and how fast it has been."""

from __future__ import annotations

from assistant.plugin_api import Context, handler


@handler("assistant.help")
def help_(ctx: Context, topic: str | None) -> str:
    plugins = ctx.catalog.describe()
    if topic:
        words = [w for w in topic.lower().replace("-", " ").split() if len(w) > 2] or [topic.lower()]
        stems = [w.rstrip("s") for w in words]
        matching = [p for p in plugins
                    if any(s in (p[0] + " " + p[1] + " " + " ".join(p[2])).lower() for s in stems)]
        if matching:
            lines = [f"- {d}" for p in matching for d in p[2]]
            return f"Here is what I can do with {topic}:\n" + "\n".join(lines)
        return f"I don't know anything about {topic} yet. " + _overview(plugins)
    return _overview(plugins)


def _overview(plugins: list[tuple[str, str, list[str]]]) -> str:
    lines = [f"- {description or name}" for name, description, _ in plugins if name != "about"]
    return "Here is what I can do:\n" + "\n".join(lines) + "\nAsk “help with timers” for details on one topic."


@handler("assistant.stats")
def stats(ctx: Context) -> str:
    percentiles = ctx.stats.stage_percentiles()
    if not percentiles:
        return "This is your first request, so I have nothing to measure yet. Ask me again after a few requests."
    total = percentiles.get("total")
    stages = [f"{stage} {p50:.2f} ms" for stage, (p50, _, _) in percentiles.items() if stage != "total"]
    head = ""
    if total is not None:
        p50, p95, n = total
        requests = f"{n} request{'s' if n > 1 else ''}"
        head = f"Over the last {requests}, I answered in {p50:.1f} ms (median), {p95:.1f} ms at p95. "
    return head + "Median per stage: " + ", ".join(stages) + "." + _energy(ctx)


def _energy(ctx: Context) -> str:
    summary = ctx.stats.energy_summary()
    if summary is None or summary.mean_j is None:
        return ""
    spread = f" ± {summary.spread_j * 1000:.1f}" if summary.spread_j is not None else ""
    kind = "measured" if summary.source in ("rapl", "battery") else "estimated from CPU time"
    return f" Energy per request: {summary.mean_j * 1000:.1f}{spread} mJ ({kind}, source: {summary.source})."
