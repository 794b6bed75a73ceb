# syntax=docker/dockerfile:1
# Build stage: every dependency (better-sqlite3 compiles against the image's Node), then
# `npm run build`: the compiled program in dist/ (JavaScript, SQL migrations, build-info.json with
# the git commit) and the operations console in console/dist (served at /console); then only the
# production dependencies are kept.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `prepare` builds the console, whose sources are not copied yet: install without scripts, run the
# ones that matter here by name, and build everything once the sources are in place.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 esbuild
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY console ./console
COPY src ./src
# docker build --build-arg GIT_COMMIT=$(git rev-parse HEAD) . puts the commit in --version.
ARG GIT_COMMIT=""
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Runtime stage: plain `node dist/main.js`, no TypeScript at run time. tini is PID 1: it forwards
# SIGTERM/SIGINT to node (which drains requests and exits 0) and reaps any zombie.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist
COPY package.json ./
# The image's unprivileged user; nothing in /app is writable except the LOCAL SQLite folder.
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# `migrate`, `cutover-check` and `simulate` run from the same image: docker run IMAGE migrate
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/main.js"]
CMD ["serve"]
