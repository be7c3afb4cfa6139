FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
RUN useradd --create-home --uid 10001 parallax

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY prompts ./prompts
RUN pip install --no-cache-dir . \
    && mkdir -p /app/data \
    && chown parallax:parallax /app/data

USER 10001
VOLUME ["/app/data"]
CMD ["parallax", "run"]
