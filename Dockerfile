# syntax=docker/dockerfile:1
# Build stage: compile better-sqlite3 against the image's Node and install production dependencies only.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime stage: the service, the migrate and cutover-check CLIs, and the SQL migration files
# (they live under src/stores/*/migrations and ship with the sources).
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
# The image's unprivileged user; nothing in /app is writable except the LOCAL SQLite folder.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `migrate` and `cutover-check` run from the same image: docker run IMAGE migrate
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["serve"]
