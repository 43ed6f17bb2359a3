import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The client lives in client/ and is served by the Snurra server from dist/client.
// In `npm run dev` Vite proxies the API and WebSocket to the server on :8080.
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: { outDir: '../dist/client', emptyOutDir: true, chunkSizeWarningLimit: 4000, sourcemap: true },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
})
