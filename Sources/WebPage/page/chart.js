// The years chart: for the current query, how many units per report year,
// as inline SVG bars; a bar is a link that filters to its year.
import { h, svg } from './dom.js';
import { stateURL, withFilter } from './state.js';

const width = 480;
const height = 96;
const axis = 18;

/** `counts` are the API's year facet ({value, label, count}). */
export function yearChart(counts, state) {
  const years = [...counts].sort((a, b) => a.value.localeCompare(b.value));
  const most = Math.max(...years.map((year) => year.count));
  const slot = width / Math.max(years.length, 6);
  const bar = Math.min(48, slot * 0.7);
  const selected = new Set(state.filters.year ?? []);
  return h('figure', { class: 'years', 'aria-label': '按年份 By report year' },
    h('figcaption', {}, '按年份 ', h('span', { lang: 'en', class: 'muted' }, 'By report year')),
    svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': years.map((year) => `${year.value}: ${year.count}`).join(', '), preserveAspectRatio: 'xMinYMid meet' },
      years.map((year, index) => {
        const barHeight = Math.max(2, ((height - 2 * axis) * year.count) / most);
        const x = index * slot + (slot - bar) / 2;
        const on = selected.has(year.value);
        return svg('a', { href: stateURL(withFilter(state, 'year', year.value, !on)), 'data-nav': '', 'data-year': year.value, class: on ? 'bar on' : 'bar', 'aria-label': `${year.value} 年 ${year.count} 条 (filter to ${year.value})` },
          svg('title', {}, `${year.value}: ${year.count}`),
          svg('rect', { x, y: height - axis - barHeight, width: bar, height: barHeight, rx: 2 }),
          svg('text', { x: x + bar / 2, y: height - axis - barHeight - 4, 'text-anchor': 'middle', class: 'n' }, year.count),
          svg('text', { x: x + bar / 2, y: height - 4, 'text-anchor': 'middle', class: 'year' }, year.value));
      })));
}
