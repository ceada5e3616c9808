// A Fastify app of its own behind keygate: DRF's token endpoints, and two routes that need a token.
import Fastify from 'fastify';
import { IsAdminUser, keygatePlugin, openKeygate, optionsFromEnvironment } from 'keygate';

/** A note the admins post; kept in memory, as the example has no table of its own. */
interface Note {
  readonly id: number;
  readonly text: string;
  readonly author: string;
}

// The database and settings the `keygate` command uses here: `.env`, then the environment
// (DATABASE_URL, else the default SQLite file data/keygate.sqlite3).
const keygate = openKeygate(optionsFromEnvironment());

const app = Fastify({ logger: false });
// POST /gettoken/ and /customtoken/ (DRF's ObtainAuthToken); `{ prefix: '/auth' }` would move them.
await app.register(keygatePlugin, { keygate, tokenEndpoints: true });

// Any user with a valid `Authorization: Token <key>`: DRF's IsAuthenticated, the default.
app.get('/api/me/', { onRequest: app.authenticate() }, (request) => {
  // app.authenticate() lets no anonymous request through: the user is set here.
  const user = request.user!;
  return { username: user.username, email: user.email };
});

const notes: Note[] = [];

// Staff users only (DRF's IsAdminUser). `onRequest`, not `preHandler`: as in DRF, a request without
// credentials is refused before its body is read or validated.
app.post<{ Body: { text: string } }>(
  '/api/notes/',
  {
    onRequest: app.authenticate({ permissions: [IsAdminUser] }),
    schema: {
      body: {
        type: 'object',
        required: ['text'],
        properties: { text: { type: 'string', minLength: 1 } },
      },
    },
  },
  async (request, reply) => {
    const note: Note = { id: notes.length + 1, text: request.body.text, author: request.user!.username };
    notes.push(note);
    return reply.code(201).send(note);
  },
);

const address = await app.listen({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 3000),
});
console.log(`Fastify example listening on ${address}`);

// The app closes first (no request in flight uses keygate), then keygate's database.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => keygate.close());
  });
}
