#!/usr/bin/env node
import { main } from './program.js';

// A reader that goes away (`rotor rotate --wait | head`) must not crash a
// rotation half-way: stop writing and let the job finish.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') {
    throw e;
  }
});

await main(process.argv);
