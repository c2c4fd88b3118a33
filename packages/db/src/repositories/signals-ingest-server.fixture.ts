// A minimal real ingest server for the kill -9 test: POST / with {workspaceId, events}
// runs the batch path on an on-disk PGlite and answers 200 only after the commit.
import { createServer } from 'node:http';
import { ingestEvents } from '@opspilot/core/signals';
import { openDatabase } from '../client';
import { applyMigrations } from '../migrate/apply-migrations';
import { createSignalsStores } from './signals-repositories';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: signals-ingest-server.fixture.ts <dataDir>');
const db = await openDatabase({ mode: 'embedded', dataDir });
await applyMigrations(db);
const stores = createSignalsStores(db);
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { workspaceId: string; events: unknown[] };
    ingestEvents(stores, body.workspaceId, { events: body.events, atomic: false }).then(
      (result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
