/** A median over trials with its interval as a table cell; a coverage below 95 % goes on a line of its own. */
import { escapeHtml as e } from './escape.js';
import { estimateParts, type EstimateFormat } from './format.js';
import type { MedianEstimate } from './summary-types.js';

/** `<td class="num">+0.437 [+0.36, +0.50]<br><span class="caveat">93.8 % CI</span></td>`; `below` is HTML added under it. */
export function estimateCell(estimate: MedianEstimate | undefined, options: EstimateFormat = {}, below = ''): string {
  const { text, caveat } = estimateParts(estimate, { unit: false, ...options });
  const note = caveat === undefined ? '' : `<br><span class="caveat">${e(caveat)}</span>`;
  return `<td class="num${text === '—' ? ' muted' : ''}">${e(text)}${note}${below}</td>`;
}
