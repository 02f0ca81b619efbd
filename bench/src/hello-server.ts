// The bare-Fastify baselines, each in its own process:
// - `hello` answers {"ok":true};
// - `page-from-memory` (PAGE_FILE set) answers one real home-feed page, read and kept in memory
//   at start, so it is the ceiling for a page of that size on this machine: the same HTTP stack
//   and bytes, with no database, hydration, rules or serialising.
import fs from 'node:fs';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const pageFile = process.env.PAGE_FILE;
if (pageFile) {
  const page = fs.readFileSync(pageFile);
  app.get('/', (_request, reply) => reply.type('application/json; charset=utf-8').send(page));
} else {
  app.get('/', async () => ({ ok: true }));
}
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.send?.({ port: (app.server.address() as { port: number }).port });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
