# syntax=docker/dockerfile:1
# One Dockerfile, three targets (docker-compose.yml picks them):
#   openapi, auth  the production services: `pnpm deploy --prod` output and the bundle, nothing else
#   workspace      the build stage itself, for the one-shot `setup` (migrate + demo seed) and `web`
#                  (built at start, then served by `vite preview` with its environment's URLs)
# Node 22 LTS, the version the tests run the deploy output on (tools/stack/test/production-image.test.ts).
# Several runtime dependencies (cookie 2, content-disposition 3, strip-json-comments 5) want Node ≥ 22.
ARG NODE_IMAGE=node:22.23.3-bookworm-slim

FROM ${NODE_IMAGE} AS workspace
RUN npm install -g pnpm@12.21.0 && npm cache clean --force
# The build runs as `node` too, so that `setup` and `web`, which run from this stage, are not root.
USER node
WORKDIR /home/node/repo
COPY --chown=node:node . .
# Only the projects the image needs (the services, web, the stack's db commands), not the e2e suites' clients.
RUN pnpm install --frozen-lockfile \
      --filter enginy-local --filter '@enginy/openapi...' --filter '@enginy/auth...' \
      --filter '@enginy/web...' --filter '@enginy/stack...'
# apps/*/dist/server.mjs: each service and the workspace packages it imports, as one ES module.
RUN pnpm build:services
# Each service with its production dependencies only: the bundle imports npm packages by name
# from the app's own node_modules (tools/stack/src/build-services.ts); `files` keeps sources out.
RUN pnpm deploy --prod --offline --filter @enginy/openapi /home/node/out/openapi \
 && pnpm deploy --prod --offline --filter @enginy/auth /home/node/out/auth
ENV NODE_ENV=production HOST=0.0.0.0 LOG_PRETTY=false

# The services: the deploy output (its pnpm-lock.yaml names every package version in the image),
# owned by root and read-only to the unprivileged `node` user they run as.
FROM ${NODE_IMAGE} AS service
ENV NODE_ENV=production HOST=0.0.0.0 LOG_PRETTY=false
WORKDIR /app
USER node
# The service closes its connections on SIGTERM (packages/service/src/run.ts) and exits 0.
STOPSIGNAL SIGTERM

FROM service AS openapi
COPY --from=workspace --chown=root:root /home/node/out/openapi /app
EXPOSE 3001
# Liveness only; compose's depends_on waits on /readyz, which also asks the database.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.OPENAPI_PORT || 3001) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and gets the signal itself. The flags are build-services.ts's SERVICE_NODE_FLAGS.
CMD ["node", "--heap-growing-percent=50", "--max-semi-space-size=8", "dist/server.mjs"]

FROM service AS auth
COPY --from=workspace --chown=root:root /home/node/out/auth /app
EXPOSE 3002
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.AUTH_PORT || 3002) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--heap-growing-percent=50", "--max-semi-space-size=8", "dist/server.mjs"]
