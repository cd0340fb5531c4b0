/**
 * The human compliance report: for each unit, each rule against each object it applies to, with the
 * threat it answers and every acknowledgement's reason. An auditor reads it without reading code.
 */
import { Outcome } from './evaluate';
import { RULES } from './rules';

/** One checked unit, as the report shows it. */
export interface ReportUnit {
  readonly path: string;
  readonly kind: string;
  readonly outcomes: Outcome[];
}

const SYMBOL: { [status: string]: string } = { 'pass': 'pass', 'acknowledged': 'ACKNOWLEDGED', 'not-applicable': 'n/a', 'fail': 'FAIL' };

/** The Markdown report. */
export function renderMarkdown(units: ReportUnit[]): string {
  const out: string[] = ['# Compliance report', '',
    'Written by cdk8s-secure-trading-api at every `cdk8s synth`, from the final output (after every patch and change).',
    'Each rule ran against each object; an object a rule does not concern is not listed under it.', ''];
  for (const unit of units) {
    const counts = { pass: 0, acknowledged: 0, na: 0 };
    for (const o of unit.outcomes) {
      if (o.status === 'pass') counts.pass++;
      else if (o.status === 'acknowledged') counts.acknowledged++;
      else if (o.status === 'not-applicable') counts.na++;
    }
    out.push(`## ${unit.kind} \`${unit.path}\``, '',
      `${counts.pass} passed, ${counts.acknowledged} acknowledged, ${counts.na} not applicable.`, '');
    const byRule = new Map<string, Outcome[]>();
    for (const o of unit.outcomes) {
      if (o.status !== 'not-applicable') {
        byRule.set(o.ruleId, [...(byRule.get(o.ruleId) ?? []), o]);
      }
    }
    for (const r of RULES) {
      const rows = byRule.get(r.id);
      if (!rows) {
        continue;
      }
      out.push(`### ${r.id}: ${r.title}`, '', `Threat: ${r.threat}`, '', '| object | result |', '|---|---|');
      for (const row of rows) {
        const detail = row.status === 'acknowledged'
          ? `${SYMBOL[row.status]}: ${escape(row.reason ?? '')} (${row.findings.map((f) => `${f.field}: ${f.message}`).map(escape).join('; ')})`
          : SYMBOL[row.status];
        out.push(`| ${escape(row.object)} | ${detail} |`);
      }
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}

function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
