// DRF's DefaultContentNegotiation: pick a renderer from ?format=, a .suffix and the Accept header.
import { NotAcceptable, NotFound } from '../errors.js';
import {
  mediaTypeMatches,
  orderByPrecedence,
  parseMediaType,
  precedence,
  type MediaType,
} from './media-type.js';
import type { RenderedView, Renderer } from './render.js';

/** The outcome of negotiation: the renderer, and the media type the response declares. */
export interface Negotiated {
  readonly renderer: Renderer;
  readonly accepted: MediaType;
  /** The API view answering, for renderers that describe it (the browsable API). */
  readonly view?: RenderedView;
}

/**
 * Selects a renderer as DRF's `select_renderer`: a format (URL suffix first, else `?format=`)
 * narrows the renderers (an unknown format is a 404); then the Accept header's media types, most
 * specific first, pick the first renderer that satisfies one; none satisfied is a 406.
 */
export function selectRenderer(
  renderers: readonly Renderer[],
  acceptHeader: string | undefined,
  format: string | undefined,
): Negotiated {
  let candidates = renderers;
  if (format !== undefined && format !== '') {
    candidates = renderers.filter((r) => r.format === format);
    if (candidates.length === 0) throw new NotFound();
  }
  for (const group of orderByPrecedence(acceptHeader)) {
    for (const renderer of candidates) {
      const offered = parseMediaType(renderer.mediaType);
      for (const accepted of group) {
        if (!mediaTypeMatches(offered, accepted)) continue;
        if (precedence(offered) > precedence(accepted)) {
          // The client asked for */* or type/*: answer with the renderer's type, keeping parameters.
          const params = [...accepted.params].map(([k, v]) => `${k}=${v}`);
          return { renderer, accepted: parseMediaType([renderer.mediaType, ...params].join(';')) };
        }
        return { renderer, accepted };
      }
    }
  }
  throw new NotAcceptable();
}
