# Neural Playground: a self-contained image for a classroom.
#
#   docker build -t neural-playground .                      # with MNIST + Fashion-MNIST inside
#   docker build --build-arg DOWNLOAD_DATA=0 -t neural-playground .   # without the data sets
#   docker run --rm -p 8501:8501 neural-playground           # WORKERS defaults to the CPU count
#
# WORKERS=1 runs one Streamlit process on $PORT; WORKERS>1 runs that many behind nginx with
# cookie-based sticky sessions (docker/entrypoint.sh, docker/nginx.conf.template).

# Debian 12 (bookworm) variant pinned: its nginx 1.22 is the version the tests run against.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NEURAL_PLAYGROUND_DATA=/opt/neural-playground/data \
    PORT=8501

# Same values as .streamlit/config.toml (tests/deploy/test_docker.py checks they agree), plus no file
# watching: deployed code never changes under a running server.
ENV STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_MAX_UPLOAD_SIZE=5 \
    STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL=30 \
    STREAMLIT_GLOBAL_MIN_CACHED_MESSAGE_SIZE=1000000000000 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_CLIENT_TOOLBAR_MODE=viewer \
    STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=none \
    STREAMLIT_RUNNER_POST_SCRIPT_GC=false \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none

# nginx: the front door when WORKERS>1; tini: PID 1 that forwards signals and reaps zombies.
# Versions are not pinned (DL3008): they follow the pinned Debian release's security updates.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx tini \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# Data sets at build time (skip with --build-arg DOWNLOAD_DATA=0). Only core/ is copied first,
# so editing app_pages/ or app.py does not download the data again.
COPY core/ ./core/
ARG DOWNLOAD_DATA=1
RUN mkdir -p "$NEURAL_PLAYGROUND_DATA" \
    && if [ "$DOWNLOAD_DATA" = "1" ]; then python -m core.data download mnist fashion-mnist; fi \
    && chown -R app:app "$NEURAL_PLAYGROUND_DATA" \
    && chmod -R a+rX "$NEURAL_PLAYGROUND_DATA"

# The code stays owned by root: the app user can read it, not change it.
COPY . .

# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]
ENTRYPOINT ["/usr/bin/tini", "--", "bash", "/app/docker/entrypoint.sh"]
