import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';

/**
 * Markup is written with htm's tagged templates and rendered by Preact's server renderer: every
 * interpolated value is text or an attribute value, escaped by the renderer, never parsed as markup.
 */
export { html };
export type Markup = VNode | VNode[] | string | null | undefined | false;

export function documentOf(root: VNode): string {
  return `<!doctype html>${render(root)}`;
}
