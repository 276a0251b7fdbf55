// A second reference point: Fastify itself, one route that parses the JSON body and
// answers a fixed JSON body. The distance between this and the bare server is the
// framework's own cost, which every Purser request pays too.
import Fastify from 'fastify';

const app = Fastify();
const body = { id: 'req_00000000000000000000', status: 'approved', remaining_budget_cents: 38000 };
app.post('/', async () => body);
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening on http://127.0.0.1:${app.server.address().port}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
