import http from 'node:http';

/**
 * The Bot Connector as light as it can be, in its own process: every reply and card update
 * is answered with an id and nothing is parsed or kept, so the benchmark measures the bots,
 * not the stand-in. Prints {"url": …} once listening.
 */
let n = 0;
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"id":"sink-${++n}"}`);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
