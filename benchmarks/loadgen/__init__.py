"""Load generator for the classroom benchmark (`python -m benchmarks.load_test`).

- `classroom`: one run: warm the app up, load every student, all press Play at once, count.
- `coordination`: what the students of one run share (start signal, measurement window, how
  the Play control is recognised).
- `protocol`: a client that speaks Streamlit's websocket protocol like the browser does (no
  browser): one asyncio task per student, all in one event loop; `message_cache` is the
  frontend's message cache it must keep.
- `browser`: a few real students in headless Chromium (Playwright), on the Playground and Draw.
- `server`: starts the app (docker/entrypoint.sh, WORKERS=N) on a free port, samples its memory
  and CPU from /proc, and stops it.
- `stats`: per-client counters and the summary the report prints.

All traffic goes to 127.0.0.1, every loop is bounded in time.
"""
