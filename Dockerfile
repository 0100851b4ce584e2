# syntax=docker/dockerfile:1
# The production image: built once with the dev dependencies, it keeps only the pruned
# runtime tree (package.json, node_modules, dist, knowledge) and runs as the unprivileged
# `node` user. The same steps as the README's production path:
#   npm ci && npm run build && npm prune --omit=dev (&& npm run slim), then node dist/src/index.js
#
#   docker build -t partner-onboarding .
#   docker run --env-file production.env -p 3978:3978 -v onboarding-data:/app/data partner-onboarding
#
# Settings come from the environment (.env.example lists them); the image has no .env.
# Without MicrosoftAppId the server is a development instance and listens on loopback
# only, so a container needs MicrosoftAppId (with its tenant and secrets) to be reachable.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 normally downloads a prebuilt binary; the compilers are for when it cannot.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# Only the install scripts package.json's allowScripts allows: this image's npm 10 does not
# read that list, so install without scripts and run the one the runtime needs.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/slimProductionTree.mjs ./scripts/
COPY src ./src
COPY dialogs ./dialogs
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm run slim

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
# Application files stay owned by root (read-only for the server); only data/ is writable.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY knowledge ./knowledge
RUN mkdir data && chown node:node data
USER node
# The default SQLite file (DATABASE_URL=sqlite:data/onboarding.db) lives here; set
# DATABASE_URL=postgres://… to run several containers on one database.
VOLUME ["/app/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same node flags as npm start (which would build first, and tsc is not in this image).
CMD ["node", "--disable-warning=DEP0111", "--max-old-space-size=160", "dist/src/index.js"]
