// The benchmarked requests (their targets are in targets.ts).
import type { HttpRequest } from './wrk.js';

/** Identifiers of the workloads, in the order they run. */
export const WORKLOAD_IDS = ['detail', 'list', 'unauthenticated', 'create', 'patch', 'login'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/** Each workload's title in the tables. */
export const WORKLOAD_TITLES: Readonly<Record<WorkloadId, string>> = {
  detail: 'GET one product (auth)',
  list: 'GET list of 20 (auth)',
  unauthenticated: 'GET list, no token: 401',
  create: 'POST a product',
  patch: 'PATCH a product',
  login: 'POST /gettoken/ (form)',
};

/** One benchmarked request shape. */
export interface Workload {
  readonly id: WorkloadId;
  readonly title: string;
  readonly request: HttpRequest;
  /** The status keygate must answer for the workload to be meaningful. */
  readonly expectedStatus: number;
  /** Whether the p99 < 10 ms target applies (not to the login, which spends ~30 ms in argon2 by design). */
  readonly p99Target: boolean;
}

/** What the workloads need to know about the seeded data. */
export interface WorkloadContext {
  readonly token: string;
  readonly username: string;
  readonly password: string;
  /** The product the detail workload reads. */
  readonly detailId: number;
  /** The product the PATCH workload changes (not the one the detail workload reads). */
  readonly patchId: number;
}

/** The body each POST sends: a valid product. */
export const NEW_PRODUCT_BODY = JSON.stringify({
  name: 'Benchmark widget',
  description: 'Created by the benchmark',
  price: '19.99',
  stock: 5,
});

/** Every workload for a seeded database. */
export function workloads(context: WorkloadContext): Workload[] {
  const auth = { Authorization: `Token ${context.token}` };
  const json = { ...auth, 'Content-Type': 'application/json' };
  return [
    {
      id: 'detail',
      title: WORKLOAD_TITLES.detail,
      request: { method: 'GET', path: `/product_api/${context.detailId}/`, headers: auth },
      expectedStatus: 200,
      p99Target: true,
    },
    {
      id: 'list',
      title: WORKLOAD_TITLES.list,
      request: { method: 'GET', path: '/product_api/?limit=20', headers: auth },
      expectedStatus: 200,
      p99Target: true,
    },
    {
      id: 'unauthenticated',
      title: WORKLOAD_TITLES.unauthenticated,
      request: { method: 'GET', path: '/product_api/', headers: {} },
      expectedStatus: 401,
      p99Target: true,
    },
    {
      id: 'create',
      title: WORKLOAD_TITLES.create,
      request: { method: 'POST', path: '/product_api/', headers: json, body: NEW_PRODUCT_BODY },
      expectedStatus: 201,
      p99Target: true,
    },
    {
      id: 'patch',
      title: WORKLOAD_TITLES.patch,
      request: {
        method: 'PATCH',
        path: `/product_api/${context.patchId}/`,
        headers: json,
        body: JSON.stringify({ price: '12.34', stock: 7 }),
      },
      expectedStatus: 200,
      p99Target: true,
    },
    {
      id: 'login',
      title: WORKLOAD_TITLES.login,
      request: {
        method: 'POST',
        path: '/gettoken/',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: context.username, password: context.password }).toString(),
      },
      expectedStatus: 200,
      p99Target: false,
    },
  ];
}
