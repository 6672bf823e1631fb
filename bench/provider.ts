// A stand-in for Mobtexting's `voice/c2c` in a process of its own, so that its work is not
// counted as the relay's: it answers every call at once, as the API document shows.
// Prints `listening <port>` once ready.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const answer = JSON.stringify({
  callId: '26074c32-b316-4ffa-99d7-9f6a99da56d6',
  message: 'call initiated successfully',
  status: 200,
});
const headers = { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(answer)) };

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
