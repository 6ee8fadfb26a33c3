import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobStream } from '@rotor/core';
import { main } from './main.js';
import type { WebhookBody } from './webhook.js';

const received: Array<{ path: string; body: WebhookBody }> = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        body: JSON.parse(text) as WebhookBody,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  url = `http://127.0.0.1:${port}/rotor-events`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the dashboard events example', () => {
  it('POSTs every event of the job, in order, up to JobFinished', async () => {
    const { jobId, appended, statuses, fleet } = await main(url);

    expect(statuses.every((s) => s === 204)).toBe(true);
    const bodies = received.map((r) => r.body);
    expect(received.every((r) => r.path === '/rotor-events')).toBe(true);
    // The feed starts at RotationScheduled (written before the run) and
    // then has exactly what the engine appended, in revision order.
    expect(bodies[0]).toMatchObject({
      stream: jobStream(jobId),
      revision: 0,
      type: 'RotationScheduled',
    });
    expect(bodies.slice(1).map((b) => [b.revision, b.type])).toEqual(
      appended.map((e) => [e.revision, e.type]),
    );
    expect(bodies.map((b) => b.revision)).toEqual(bodies.map((_, i) => i));
    expect(bodies.at(-1)).toMatchObject({
      type: 'JobFinished',
      data: { status: 'finished' },
    });
    const next = fleet.hostByKey.get('app01')?.service('AppSvc')?.password;
    expect(next).toBeDefined();
    expect(JSON.stringify(bodies)).not.toContain(next);
  });
});
