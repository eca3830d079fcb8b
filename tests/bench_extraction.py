"""How long rules extraction takes on a large answer (a script, not a test: timings vary by machine).

    .tools/bin/uv run --frozen --no-sync python -m tests.bench_extraction

Builds ~1 MB of realistic markdown (the fixture answers repeated, each copy made distinct so that
nothing is served from a cache) and prints the wall and CPU time of the whole extraction at several
sizes (CPU time is the honest figure on a busy machine). An
answer past MAX_ANSWER_CHARS is cut, so the 1 MB figure is the cost of the limit.
"""

from __future__ import annotations

import re
import time

from ai_visibility.extraction import review_words, sentiment
from ai_visibility.extraction.answer import extract_answer
from ai_visibility.extraction.limits import MAX_ANSWER_CHARS
from tests.helpers import answer, demo_org_view


def large_answer(chars: int) -> str:
    base = "\n\n".join(answer(n) for n in ("perplexity_list", "openai_search_table", "gemini_prose_traps"))
    copies = []
    for i in range(chars // len(base) + 1):
        copies.append(re.sub(r"(?m)([.!?:|])$", rf" (note {i})\1", base))
    return "\n\n".join(copies)[:chars]


def main() -> None:
    org = demo_org_view()
    text = large_answer(1_000_000)
    print(f"MAX_ANSWER_CHARS = {MAX_ANSWER_CHARS}")
    for size in (25_000, 50_000, 100_000, 1_000_000):
        sentiment.score.cache_clear()  # each size from a cold start
        review_words.join_phrases.cache_clear()
        start, cpu = time.perf_counter(), time.process_time()
        result = extract_answer(text[:size], org)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        cut = result["truncated_from"]
        print(f"{size:>9} chars: {took:5.2f} s wall, {cpu:5.2f} s CPU ({len(result['claims'])} claims, cut from {cut})")


if __name__ == "__main__":
    main()
