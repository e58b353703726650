# Road Warrior worker image: one Faust worker (agents, tables and the HTTP API on port 6066).
# Build: docker build -t roadwarrior .   Run several with docker-compose.yml (Apache Kafka in KRaft mode).

# Build stage: wheels for the project and every dependency, so the runtime image has no source tree and no
# build tooling.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# .dockerignore admits only what `pip install .` packages (pyproject's packages.find list).
COPY . .
# The gettext catalogs compiled into the package, as `make` does for a checkout (.mo files are not in git).
RUN pip install "babel>=2.18,<3" && pybabel compile -q -d web/locales
RUN pip wheel --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# The fonts a shared trip's image is drawn with (web/trip_card.py), as the Makefile installs them.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-droid-fallback \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links=/wheels roadwarrior && rm -rf /wheels

# A fixed, unprivileged UID, so that volume ownership is the same on every host.
RUN groupadd --system --gid 10001 roadwarrior \
    && useradd --system --uid 10001 --gid roadwarrior --home-dir /var/lib/roadwarrior --no-create-home roadwarrior \
    && mkdir -p /var/lib/roadwarrior/data \
    && chown -R roadwarrior:roadwarrior /var/lib/roadwarrior

# ROADWARRIOR_WEB_HOST is deliberately not set here: it is both the bind address and the canonical URL other
# workers use to reach this one (table routing), so each deployment must give a name the others can resolve.
# ROADWARRIOR_JWT_SECRET must be the same on every worker; without it each container invents its own.
ENV ROADWARRIOR_DATA_DIR=/var/lib/roadwarrior/data \
    ROADWARRIOR_WEB_PORT=6066

# RocksDB tables: recovery from the changelogs is slow, so keep them across container restarts.
VOLUME ["/var/lib/roadwarrior/data"]
WORKDIR /var/lib/roadwarrior
USER roadwarrior
EXPOSE 6066

# /healthz is 200 only once the worker is assigned and its tables have recovered; a first start can take a
# while on a long changelog, hence the generous start period. (No curl in the slim image: use Python.)
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
    CMD python -c 'import os, urllib.request as u; u.urlopen("http://%s:%s/healthz" % (os.environ.get("ROADWARRIOR_WEB_HOST", "127.0.0.1"), os.environ.get("ROADWARRIOR_WEB_PORT", "6066")), timeout=4)' || exit 1

CMD ["faust", "-A", "faust_app", "worker", "-l", "info"]
