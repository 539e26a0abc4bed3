"""Container health check: GET /_stcore/health on the front door ($PORT, default 8501).

Exit 0 when it answers 200, 1 otherwise (what Docker's HEALTHCHECK expects). Standard library
only, so the image needs no curl.
"""

import os
import sys
import urllib.request


def main() -> int:
    port = os.environ.get("PORT", "8501")
    base = os.environ.get("STREAMLIT_SERVER_BASE_URL_PATH", "").strip("/")
    path = f"/{base}/_stcore/health" if base else "/_stcore/health"
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=4) as resp:
            return 0 if resp.status == 200 else 1
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
