# The local stream mode (`npm start`) in a container: for development and CI, not for production (on AWS the
# forwarder runs on Lambda). Not built by this repository's CI, which has no Docker engine.
FROM node:24-slim

# tini -g passes `docker stop`'s SIGTERM to the whole process group: npm alone would not pass it on, and the
# forwarder needs it to finish its batch and save its checkpoints.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
# Checkpoints, discarded records and the embedded emulator's data; mount a volume here to keep them.
RUN mkdir .local && chown node:node .local

USER node
ENTRYPOINT ["tini", "-g", "--"]
CMD ["npm", "start"]
