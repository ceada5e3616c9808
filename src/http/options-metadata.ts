// DRF's SimpleMetadata: what an OPTIONS request answers about a view.
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.js';
import type { ApiViewDefinition } from './api-view-definition.js';

/**
 * DRF's SimpleMetadata.determine_metadata: name, description, renders, parses, then `actions` when
 * there are any (PUT only for an object that exists and the user may change: determine_actions
 * calls get_object(), and leaves PUT out on any API exception, a 404 or a refused permission).
 */
export async function optionsMetadata(
  view: ApiViewDefinition,
  request: FastifyRequest,
  lookup: string | undefined,
): Promise<Record<string, unknown>> {
  const metadata: Record<string, unknown> = {
    name: view.name,
    description: view.description ?? '',
    renders: view.renderers.map((r) => r.mediaType),
    parses: view.parses,
  };
  const { PUT, ...others } = view.actions?.(request) ?? {};
  const actions: Record<string, unknown> = { ...others };
  if (PUT !== undefined && (view.getObject === undefined || (await found(view.getObject, request, lookup)))) {
    actions.PUT = PUT;
  }
  if (Object.keys(actions).length > 0) metadata.actions = actions;
  return metadata;
}

async function found(
  getObject: NonNullable<ApiViewDefinition['getObject']>,
  request: FastifyRequest,
  lookup: string | undefined,
): Promise<boolean> {
  try {
    await getObject(request, lookup);
    return true;
  } catch (error) {
    if (error instanceof ApiError) return false;
    throw error;
  }
}
