# One image per service, built from the repository root. SERVICE (a folder of services/) and PORT (its API
# port) are required; the gateway also passes PORT_VARIABLE=GATEWAY_PORT. docker-compose.yml passes them for
# every service, and docs/architecture.md#images lists each command line, e.g.:
#   docker build --build-arg SERVICE=identity --build-arg PORT=3001 -t solar/identity .

# --- build: every dependency (TypeScript included), then tsc -b of the service and what it references ---
FROM node:24-bookworm-slim AS build
WORKDIR /app
# Manifests first, so the npm ci layer is reused until a dependency changes. npm ci needs every
# workspace's manifest to check the lockfile.
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY contracts/package.json contracts/
COPY services/chassis/package.json services/chassis/
COPY services/identity/package.json services/identity/
COPY services/notification/package.json services/notification/
COPY services/lifecycle/package.json services/lifecycle/
COPY services/gateway/package.json services/gateway/
COPY services/web/package.json services/web/
COPY e2e/package.json e2e/
# No install scripts, as locally (package.json allowScripts): argon2 loads its prebuilt binary at run time.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY contracts contracts
COPY services services
# Declared only now: every RUN after an ARG depends on its value, and the npm ci layer above stays one
# layer shared by all the services' builds.
ARG SERVICE
RUN test -f "services/${SERVICE}/src/server.ts" \
  || { echo "Set --build-arg SERVICE to a folder of services/ with src/server.ts (got '${SERVICE}')" >&2; exit 1; }
# data/ holds files the service reads at run time (identity's common-password list). Made empty where
# there is none, so the runtime stage copies it for every service.
RUN mkdir -p "services/${SERVICE}/data" \
  && node_modules/.bin/tsc -b "services/${SERVICE}"

# --- runtime: production dependencies of the service only, compiled code, no compiler, no sources ---
FROM node:24-bookworm-slim AS runtime
# tini as PID 1 forwards SIGTERM to node and reaps zombies (npm, sh or a crashed child would otherwise linger).
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
# Memory (docs/operations.md): V8's young generation capped at 8 MiB a semi-space (Node 24 lets it grow
# to 64 MiB under load); two libuv threads, so no more than two 19 MiB argon2id buffers at once (enough
# to fill the pods' CPU limit); and every allocation of 1 MiB or more mapped on its own and unmapped
# when freed, which glibc otherwise keeps in a thread's arena once the first one has been freed.
ENV NODE_OPTIONS=--max-semi-space-size=8 UV_THREADPOOL_SIZE=2 MALLOC_MMAP_THRESHOLD_=1048576
WORKDIR /app
COPY package.json package-lock.json ./
COPY contracts/package.json contracts/
COPY services/chassis/package.json services/chassis/
COPY services/identity/package.json services/identity/
COPY services/notification/package.json services/notification/
COPY services/lifecycle/package.json services/lifecycle/
COPY services/gateway/package.json services/gateway/
COPY services/web/package.json services/web/
COPY e2e/package.json e2e/
# A stage sees no ARG of another stage: declared again, after the layers every service shares.
ARG SERVICE
ARG PORT
# The variable the service reads its port from: PORT, GATEWAY_PORT for the gateway.
ARG PORT_VARIABLE=PORT
RUN test -f "services/${SERVICE}/package.json" && test "${PORT}" -gt 0 2>/dev/null \
  || { echo "Set --build-arg SERVICE (a folder of services/) and --build-arg PORT (its API port); got '${SERVICE}', '${PORT}'" >&2; exit 1; }
# npm installs a workspace's devDependencies that are themselves workspaces even with --omit=dev
# (npm/cli#6670: a test-only @solar/* workspace would bring its whole dependency tree), so the
# runtime copy of the manifest loses its devDependencies first.
RUN npm pkg delete devDependencies --workspace="services/${SERVICE}" \
  && npm ci --omit=dev --ignore-scripts --workspace="services/${SERVICE}" --no-audit --no-fund \
  && npm cache clean --force
COPY --from=build /app/contracts/dist/src contracts/dist/src
COPY --from=build /app/services/chassis/dist/src services/chassis/dist/src
COPY --from=build /app/services/${SERVICE}/dist/src services/${SERVICE}/dist/src
COPY --from=build /app/services/${SERVICE}/data services/${SERVICE}/data
# Numeric, so Kubernetes' runAsNonRoot can check it (the image's "node" user is uid 1000).
USER 1000:1000
# Exec-form CMD and HEALTHCHECK expand no variables at build time: they read these at run time, and the
# health check follows the port when a container is given another.
ENV SERVICE=${SERVICE} PORT_VARIABLE=${PORT_VARIABLE} ${PORT_VARIABLE}=${PORT}
# The API (or the pages), then Prometheus's /metrics (METRICS_PORT).
EXPOSE ${PORT} 9464
# For docker and compose; Kubernetes uses its own probes on the same endpoints.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env[process.env.PORT_VARIABLE] + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# exec: node replaces the shell, so tini's signals reach it.
CMD ["sh", "-c", "exec node \"services/${SERVICE}/dist/src/server.js\""]
