# Snurra's image for docker-compose.yml: the server and the built client in one Node process.
FROM node:20-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 may build from source; the bookworm image has python3, make and g++.
RUN npm ci
COPY . .
RUN npm run build
ENV NODE_ENV=production SNURRA_SKIP_BUILD=1 PORT=8080 HOST=0.0.0.0 DATA_DIR=/data
VOLUME /data
EXPOSE 8080
CMD ["node", "--import", "tsx", "server/main.ts"]
