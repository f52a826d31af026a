# The amplify-migrate worker (and CLI) image for the docker-compose stack.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY activities ./activities
COPY workflows ./workflows
COPY worker ./worker
COPY client ./client
COPY bin ./bin
ENV NODE_ENV=production
ENTRYPOINT ["/app/bin/amplify-migrate"]
CMD ["worker"]
