// The baseline: a bare node:http server that answers every request with a fixed JSON body,
// doing nothing else. Purser's throughput is reported as a ratio of this one's.
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: 'req_00000000000000000000',
  status: 'approved',
  remaining_budget_cents: 38000,
});
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
