// Methods Fastify routes nowhere (TRACE, PROPFIND, FOO): the API view whose URL matches answers them, as DRF's dispatch does.
import type { Server } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Answers a request at a view's URL whatever its method (the route's onRequest, then its handler). */
export type UnroutedAnswer = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

interface UnroutedRoute {
  readonly pattern: RegExp;
  readonly params: readonly string[];
  /** The methods Fastify routes at this URL itself. */
  readonly routed: readonly string[];
  readonly answer: UnroutedAnswer;
}

// Deliberate per-server registry (an entry goes with its server, which every encapsulated instance
// of one app shares): the API views' URLs, for the not-found hook (not-found.ts).
const registries = new WeakMap<Server, UnroutedRoute[]>();

const PARAM = /:([A-Za-z_]\w*)/g;

function compile(url: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  let source = '';
  let last = 0;
  for (const match of url.matchAll(PARAM)) {
    source += url.slice(last, match.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // find-my-way's parameter: everything up to the next `/`.
    source += '([^/]*)';
    params.push(match[1]!);
    last = match.index + match[0].length;
  }
  source += url.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return { pattern: new RegExp(`^${source}$`), params };
}

/**
 * Records that `answer` serves `url` (a Fastify path with `:param`s) for every method but the
 * `routed` ones, which have Fastify routes there. Fastify routes only the methods it is given, and
 * knows only a few, so a TRACE, or a FOO (see unknown-method.ts), at an API view's URL would
 * otherwise be the not-found handler's; in Django the URL resolves first and the view's dispatch
 * answers any method (DRF: 405 after initial()).
 */
export function addUnroutedRoute(
  app: FastifyInstance,
  url: string,
  routed: readonly string[],
  answer: UnroutedAnswer,
): void {
  let routes = registries.get(app.server);
  if (routes === undefined) {
    routes = [];
    registries.set(app.server, routes);
  }
  routes.push({ ...compile(url), routed, answer });
}

function decodedPath(url: string): string | null {
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  try {
    // As find-my-way decodes a path before matching it (a `%25` stays an escape for the parameter).
    return decodeURI(path.replace(/%25/g, '%2525'));
  } catch {
    return null;
  }
}

/**
 * Answers a request Fastify found no route for with the API view its URL matches, if any, when
 * its method is one the view's routes do not take (setting the URL's parameters as routing would
 * have). Returns false otherwise: the URL matches nothing.
 */
export async function answerUnroutedMethod(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const path = decodedPath(request.url);
  if (path === null) return false;
  for (const route of registries.get(request.server.server) ?? []) {
    const match = route.pattern.exec(path);
    if (match === null) continue;
    if (route.routed.includes(request.method)) return false;
    const params: Record<string, string> = {};
    try {
      route.params.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1]!)));
    } catch {
      return false;
    }
    request.params = params;
    await route.answer(request, reply);
    return true;
  }
  return false;
}
