# The amplify-migrate worker (and CLI) image for the docker-compose stack.
# Stage 1 compiles the TypeScript; the runtime stage holds only production modules and dist/,
# so the worker is plain node: no compiler at run time, and the container's signals reach it.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY activities ./activities
COPY workflows ./workflows
COPY worker ./worker
COPY client ./client
RUN node_modules/.bin/tsc -p tsconfig.build.json

FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY bin ./bin
ENV NODE_ENV=production
ENTRYPOINT ["/app/bin/amplify-migrate"]
CMD ["worker"]
