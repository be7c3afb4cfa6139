# Two stages: the wheel is built from the sources, and only the wheel reaches the image, so the
# image holds the package as `pip install` gives it to anyone (prompts inside), not a checkout.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The pip a base image ships can be older than what the dependencies' metadata needs.
RUN pip install --no-cache-dir --upgrade "pip>=24.2"

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY prompts ./prompts
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .


FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN pip install --no-cache-dir --upgrade "pip>=24.2" \
    && useradd --create-home --uid 10001 parallax

WORKDIR /app
COPY --from=build /wheels /tmp/wheels
RUN pip install --no-cache-dir /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels \
    && mkdir -p /app/data \
    && chown parallax:parallax /app/data

# The sample articles sit beside the volume, not in it: a volume mounted on /app/data would
# hide anything the image put there.
COPY data/samples /app/samples

USER 10001
VOLUME ["/app/data"]
CMD ["parallax", "run"]
