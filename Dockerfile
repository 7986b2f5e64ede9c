# syntax=docker/dockerfile:1.7
# One image for every dsensor component: /usr/local/bin/{interceptor,digger,crawler,detection-tool,console}.
# Runs as uid/gid 1000, writes only to /var/lib/dsensor (a volume) and /tmp, so pods can keep a
# read-only root filesystem. The interceptor is the one container the chart runs as root
# (privileged, for libpcap on the node's interfaces).
#   docker build -t ghcr.io/dsensor/dsensor:0.1.0 .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: wheels of dsensor and every dependency (no compilers reach the runtime image);
# a C compiler builds the interceptor's and the detector's hot paths with mypyc (setup.py)
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install --yes --no-install-recommends gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY proto ./proto
COPY sensor_core ./sensor_core
COPY sensor_dim ./sensor_dim
COPY sensor_dar ./sensor_dar
COPY plugins ./plugins
COPY detection_tool ./detection_tool
COPY sensor_console ./sensor_console
RUN pip wheel --wheel-dir /wheels .

# ---- runtime
FROM ${PYTHON_IMAGE} AS runtime
ARG DSENSOR_COMMANDS="interceptor digger crawler detection-tool console"
ARG UID=1000
ARG GID=1000
LABEL org.opencontainers.image.title="dsensor" \
      org.opencontainers.image.description="Sensitive-data sensor for Kubernetes" \
      org.opencontainers.image.licenses="GPL-2.0-or-later" \
      org.opencontainers.image.source="https://github.com/dsensor/dsensor"
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# libpcap for live capture (scapy); bash ships with the base image (the Vault agent example needs it)
RUN apt-get update \
 && apt-get install --yes --no-install-recommends libpcap0.8 \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid "${GID}" dsensor \
 && useradd --uid "${UID}" --gid "${GID}" --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin dsensor
# install from the build stage's wheels; byte-code is compiled now, the root stays read-only later
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels dsensor \
 && for command in ${DSENSOR_COMMANDS}; do test -x "/usr/local/bin/${command}" || exit 1; done
WORKDIR /app
COPY --chmod=0755 docker/entrypoint.sh ./entrypoint.sh
RUN install --directory --owner="${UID}" --group="${GID}" --mode=0750 /var/lib/dsensor
VOLUME ["/var/lib/dsensor"]
# interceptor 18954, digger 9000, crawler 9001, detection-tool 8000/9100, console 10350/8080
EXPOSE 8000 8080 9000 9001 9100 10350 18954
USER 1000:1000
CMD ["/usr/local/bin/dsensor", "--help"]
