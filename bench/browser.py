"""Time a network view in headless Chromium: from navigation to the view having drawn its nodes.

web/static/network.js sets `data-drawn="true"` on `#network` at vis-network's first
`afterDrawing`; positions come from the server and physics is off, so that is when the
view is ready to use.
"""

from __future__ import annotations

import statistics
import time

CHROMIUM = "/usr/bin/chromium"


def network_ready(base: str, paths: list[str], repeat: int = 3, timeout_s: float = 120.0) -> dict[str, object]:
    """Load each path `repeat` times in a fresh page; return per path the median and worst seconds to drawn.

    A failure (no Chromium, no playwright, a timeout) is reported in `error`, not raised.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        return {"error": f"playwright is not installed: {error}"}
    out: dict[str, object] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(base + "/network/vis/vis-network.min.js")  # the script cached, as for a returning user
                for path in paths:
                    times, nodes = [], 0
                    for _ in range(repeat):
                        started = time.perf_counter()
                        page.goto(base + path, wait_until="commit", timeout=timeout_s * 1000)
                        page.wait_for_selector('#network[data-drawn="true"]', state="attached",
                                               timeout=timeout_s * 1000)
                        times.append(time.perf_counter() - started)
                        nodes = int(page.get_attribute("#network", "data-nodes") or 0)
                    out[path] = {"p50_s": round(statistics.median(times), 3), "max_s": round(max(times), 3),
                                 "n": len(times), "nodes": nodes}
            finally:
                browser.close()
    except Exception as error:  # the benchmark reports what went wrong and goes on
        out["error"] = f"{type(error).__name__}: {error}"
    return out
