# One image for every app of the stack; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
RUN npm install -g pnpm@12.21.0
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile
# The services run as plain JavaScript (apps/*/dist/server.mjs), without a TypeScript loader.
RUN pnpm build:services
ENV NODE_ENV=production HOST=0.0.0.0 LOG_PRETTY=false
