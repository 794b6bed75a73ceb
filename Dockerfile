# syntax=docker/dockerfile:1
# Build stage: install every dependency, compile better-sqlite3 against the image's Node, build the
# operations console (console/dist, served at /console), then keep production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `prepare` builds the console, whose sources are not copied yet: run the install scripts that
# matter here by name, and build the console once its sources are in place.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 esbuild
COPY tsconfig.json ./
COPY scripts/build-console.ts ./scripts/
COPY console ./console
COPY src ./src
RUN npm run build:console \
 && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: the service, the migrate and cutover-check CLIs, the SQL migration files (they
# live under src/stores/*/migrations and ship with the sources) and the built console.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/console/dist ./console/dist
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
