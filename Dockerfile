# Pages and /api/v1 on one port ($PORT, default 8000), as a non-root user.
# Build: docker build -t credit-app .   Run: see docker-compose.yml (migrate once with
# `credit-app db upgrade`, or start a single container with `credit-app serve --migrate`).

FROM python:3.11-slim-bookworm AS build
ENV UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false \
    REFLEX_USE_NPM=1 \
    PATH=/app/.venv/bin:$PATH
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY credit_app ./credit_app
COPY alembic ./alembic
COPY alembic.ini rxconfig.py ./
COPY reflex.lock ./reflex.lock
COPY assets ./assets
RUN uv sync --frozen --no-dev
# Build the frontend now, so that the container never needs a package registry at start.
RUN CREDIT_APP_DATA_DIR=/tmp/build-data reflex export --frontend-only --no-zip \
    && rm -rf /tmp/build-data

FROM python:3.11-slim-bookworm
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    REFLEX_CHECK_LATEST_VERSION=false \
    REFLEX_USE_NPM=1 \
    CREDIT_APP_ENV=production \
    CREDIT_APP_DATA_DIR=/var/lib/credit-app \
    CREDIT_APP_MODEL_DIR=/var/lib/credit-app/model \
    PORT=8000
RUN groupadd --system app && useradd --system --gid app --home-dir /app app \
    && mkdir -p /var/lib/credit-app && chown app:app /var/lib/credit-app
WORKDIR /app
COPY --from=build --chown=app:app /app /app
USER app
EXPOSE 8000
# Graceful stop: Granian drains its workers, Reflex cleans up its socket records in Redis.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/api/v1/health', timeout=4)"
CMD ["sh", "-c", "exec credit-app serve --port \"${PORT}\""]
