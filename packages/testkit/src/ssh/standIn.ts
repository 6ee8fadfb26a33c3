/**
 * The text of the `powershell.exe` stand-in that a test sshd runs: a Node
 * script that reads stdin to its end, sends the command line and stdin to
 * the relay socket as one JSON document, and prints the answer's stdout and
 * stderr and exits with its code.
 *
 * @category testing
 */
export const standInScript = (nodePath: string, relaySocket: string): string =>
  `#!${nodePath}
'use strict';
const net = require('node:net');
const input = [];
process.stdin.on('data', (chunk) => input.push(chunk));
process.stdin.on('end', () => {
  const commandLine = ['powershell.exe', ...process.argv.slice(2)].join(' ');
  const answer = [];
  const socket = net.connect(${JSON.stringify(relaySocket)});
  socket.on('data', (chunk) => answer.push(chunk));
  socket.on('end', () => {
    const result = JSON.parse(Buffer.concat(answer).toString('utf8'));
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  });
  socket.on('error', (error) => {
    process.stderr.write('stand-in: relay unavailable: ' + error.code + '\\n');
    process.exitCode = 1;
  });
  const stdin = Buffer.concat(input).toString('utf8');
  socket.end(JSON.stringify({ commandLine, stdin }));
});
`;
