// An Express 5 app of its own behind keygate: DRF's token endpoints, and two routes that need a token.
import express from 'express';
import { openKeygate, optionsFromEnvironment } from 'keygate';
import { IsAdminUser, obtainAuthToken, requireAuth, tokenAuthentication } from 'keygate/express';

/** A note the admins post; kept in memory, as the example has no table of its own. */
interface Note {
  readonly id: number;
  readonly text: string;
  readonly author: string;
}

// The database and settings the `keygate` command uses here: `.env`, then the environment
// (DATABASE_URL, else the default SQLite file data/keygate.sqlite3).
const keygate = openKeygate(optionsFromEnvironment());

const app = express();

// DRF's obtain_auth_token ({"token": ...}) and the seed's CustomAuthToken ({"Token", "user_id", "email"}).
app.post('/gettoken/', obtainAuthToken(keygate));
app.post('/customtoken/', obtainAuthToken(keygate, { response: 'custom' }));

// Every /api route: `Authorization: Token <key>` sets req.user and req.auth; a bad key is a 401 here.
app.use('/api', tokenAuthentication(keygate));

// Any authenticated user (DRF's IsAuthenticated, requireAuth()'s default).
app.get('/api/me/', requireAuth(), (req, res) => {
  // requireAuth() lets no anonymous request through: the user is set here.
  const user = req.user!;
  res.json({ username: user.username, email: user.email });
});

const notes: Note[] = [];

// Staff users only (DRF's IsAdminUser); the body is read after the permission check, as in DRF.
app.post('/api/notes/', requireAuth(IsAdminUser), express.json(), (req, res) => {
  const text: unknown = req.body?.text;
  if (typeof text !== 'string' || text === '') {
    res.status(400).json({ text: ['This field is required.'] });
    return;
  }
  const note: Note = { id: notes.length + 1, text, author: req.user!.username };
  notes.push(note);
  res.status(201).json(note);
});

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const bound = server.address();
  if (bound !== null && typeof bound === 'object') {
    console.log(`Express example listening on http://${bound.address}:${bound.port}`);
  }
});

// The server closes first (no request in flight uses keygate), then keygate's database.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => void keygate.close());
  });
}
