import type { ReportModel, ReportTable } from '../../core/report-model.ts'
import { escapeXml as esc, sceneSvg } from './svg.ts'

/**
 * The report as one self-contained, accessible HTML page (what Swedish web guidelines ask to
 * publish first): the document language, headings in order, the picture as inline SVG with its
 * text alternative, and real tables with captions and `th scope`. No scripts, no external files.
 */
export function reportHtml(model: ReportModel): string {
  let tables = 0
  const table = (t: ReportTable) => {
    const id = `table-${++tables}`
    const head = t.header.map((h, i) => `<th scope="col"${t.numeric[i] ? ' class="num"' : ''}>${esc(h)}</th>`).join('')
    const body = t.rows
      .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row" dir="auto">${esc(cell)}</th>` : `<td dir="auto"${t.numeric[i] ? ' class="num"' : ''}>${esc(cell)}</td>`)).join('')}</tr>`)
      .join('\n')
    // dir="auto": a name in Arabic reads right to left inside a Swedish page. A wide table
    // scrolls sideways on a narrow screen; the region takes focus so a keyboard can scroll it.
    return `<div class="scroll" role="region" aria-labelledby="${id}" tabindex="0"><table><caption id="${id}">${esc(t.caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>`
  }
  const p = (text: string) => `<p>${esc(text)}</p>`
  const facts = model.facts.map((f) => `<div><dt>${esc(f.label)}</dt><dd>${esc(f.value)}</dd></div>`).join('')
  const { register, coverage, votes, picture } = model
  return `<!doctype html>
<html lang="${esc(model.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Snurra">
<title>${esc(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(model.title)}</h1>
<p class="subtitle">${esc(model.subtitle)}</p>
<dl class="facts">${facts}</dl>
</header>
<main>
<section aria-labelledby="picture"><h2 id="picture">${esc(picture.heading)}</h2>
<figure>${sceneSvg(picture.scene, 'picture-alt').replace('>', `><title id="picture-alt">${esc(picture.alt)}</title>`)}</figure>
</section>
<section aria-labelledby="register"><h2 id="register">${esc(register.heading)}</h2>
${p(register.intro)}
${register.table ? table(register.table) : p(model.noActivities)}
</section>
<section aria-labelledby="coverage"><h2 id="coverage">${esc(coverage.heading)}</h2>
${p(coverage.intro)}
${table(coverage.counts)}
${coverage.matrix ? table(coverage.matrix) : ''}
</section>
<section aria-labelledby="votes"><h2 id="votes">${esc(votes.heading)}</h2>
${votes.paragraphs.map(p).join('\n')}
${votes.table ? table(votes.table) : ''}
</section>
</main>
</body>
</html>
`
}

const STYLE = `
:root { color: #1b1d21; background: #ffffff; font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 78rem; padding: 1.5rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .75rem; border-bottom: 2px solid #4a4f57; }
.subtitle { color: #4a4f57; margin-top: 0; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 1.5rem 0; }
.facts div { display: contents; }
.facts dt { font-weight: 700; }
.facts dd { margin: 0; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; max-height: 90vh; }
.scroll { overflow-x: auto; margin: 1rem 0; }
.scroll:focus { outline: 3px solid #1a56c4; outline-offset: 2px; }
table { border-collapse: collapse; font-size: .875rem; min-width: 100%; }
caption { text-align: left; font-weight: 700; padding: .5rem 0; }
th, td { border-bottom: 1px solid #9aa0a8; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #e8eaee; border-bottom: 2px solid #4a4f57; }
.num { text-align: right; }
@media print { h2 { break-after: avoid; } tr { break-inside: avoid; } .scroll { overflow: visible; } }
`
