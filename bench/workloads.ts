// The benchmarked requests and the targets for them (issue 6, "Targets").
import type { HttpRequest } from './wrk.js';

/** Identifiers of the workloads, in the order they run. */
export const WORKLOAD_IDS = ['detail', 'list', 'unauthenticated', 'create', 'patch', 'login'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/** One benchmarked request shape. */
export interface Workload {
  readonly id: WorkloadId;
  readonly title: string;
  readonly request: HttpRequest;
  /** The status keygate must answer for the workload to be meaningful. */
  readonly expectedStatus: number;
  /** Minimum keygate ÷ bare requests/s ratio the issue asks for, if any. */
  readonly minRatio?: number;
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

/** The p99 bound at 32 connections. */
export const P99_TARGET_MS = 10;
/** The memory bound under load. */
export const RSS_TARGET_MIB = 200;
/** The scale bound: detail and first page at 1M products within this fraction of the small figures. */
export const SCALE_TOLERANCE = 0.15;
/** The multi-process bound: `--workers 2` at least this multiple of one worker on the detail. */
export const WORKERS_TARGET = 1.4;

/** Every workload for a seeded database. */
export function workloads(context: WorkloadContext): Workload[] {
  const auth = { Authorization: `Token ${context.token}` };
  const json = { ...auth, 'Content-Type': 'application/json' };
  return [
    {
      id: 'detail',
      title: 'GET one product (auth)',
      request: { method: 'GET', path: `/product_api/${context.detailId}/`, headers: auth },
      expectedStatus: 200,
      minRatio: 0.5,
      p99Target: true,
    },
    {
      id: 'list',
      title: 'GET list of 20 (auth)',
      request: { method: 'GET', path: '/product_api/?limit=20', headers: auth },
      expectedStatus: 200,
      minRatio: 0.35,
      p99Target: true,
    },
    {
      id: 'unauthenticated',
      title: 'GET list, no token: 401',
      request: { method: 'GET', path: '/product_api/', headers: {} },
      expectedStatus: 401,
      minRatio: 0.7,
      p99Target: true,
    },
    {
      id: 'create',
      title: 'POST a product',
      request: { method: 'POST', path: '/product_api/', headers: json, body: NEW_PRODUCT_BODY },
      expectedStatus: 201,
      p99Target: true,
    },
    {
      id: 'patch',
      title: 'PATCH a product',
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
      title: 'POST /gettoken/ (form)',
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
