/**
 * `npx projen test:alerts`: the alerts of a service with `monitoring`, synthesized by the library,
 * tested with promtool (scripts/promtool.sh fetches it from the Debian archive) on synthetic series:
 * each alert fires when it should and stays silent when it should not.
 *
 * Twice: for an INTERNAL service (ServiceMonitor), and for a worker with exposure NONE (PodMonitor,
 * which writes the same `service` label; it has no latency alert). For each, writes
 * .tmp/alerts/<variant>/rules.yaml (the PrometheusRule's groups, as synthesized) and tests.yaml, then
 * runs `promtool check rules` and `promtool test rules`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { SecureTradingApi, ServiceExposure } from '../src';

const NS = 'trading';
const NAME = 'gateway';
const POD = 'gateway-7d9f8c6b5d-x2x4q';
const OUT = path.join(__dirname, '..', '.tmp', 'alerts');

const svc = `namespace="${NS}",service="${NAME}"`;
const pod = `namespace="${NS}",pod="${POD}"`;

interface Case {
  readonly alert: string;
  readonly fires: boolean;
  readonly series: Array<[string, string]>;
  /** Minutes after the start. */
  readonly at: number;
  /** The labels the alert's expression keeps (besides the rule's own). */
  readonly exprLabels?: { [key: string]: string };
}

const CASES: Case[] = [
  { alert: 'TradingApiHighErrorRatio', fires: true, at: 20, series: [[`http_requests_total{${svc},code="200"}`, '0+100x30'], [`http_requests_total{${svc},code="500"}`, '0+10x30']] },
  { alert: 'TradingApiHighErrorRatio', fires: false, at: 20, series: [[`http_requests_total{${svc},code="200"}`, '0+100x30'], [`http_requests_total{${svc},code="500"}`, '0+1x30']] },
  {
    alert: 'TradingApiHighLatency', fires: true, at: 25,
    series: [['0.5', '0+10x30'], ['1', '0+10x30'], ['2.5', '0+100x30'], ['+Inf', '0+100x30']].map(([le, v]) => [`http_request_duration_seconds_bucket{${svc},le="${le}"}`, v] as [string, string]),
  },
  {
    alert: 'TradingApiHighLatency', fires: false, at: 25,
    series: [['0.5', '0+100x30'], ['1', '0+100x30'], ['2.5', '0+100x30'], ['+Inf', '0+100x30']].map(([le, v]) => [`http_request_duration_seconds_bucket{${svc},le="${le}"}`, v] as [string, string]),
  },
  { alert: 'TradingApiPodNotReady', fires: true, at: 20, series: [[`kube_pod_status_ready{${pod},condition="true"}`, '0x30']], exprLabels: { pod: POD } },
  { alert: 'TradingApiPodNotReady', fires: false, at: 20, series: [[`kube_pod_status_ready{${pod},condition="true"}`, '1x30']] },
  // Another service's pod whose name starts like this one's is not this service's.
  { alert: 'TradingApiPodNotReady', fires: false, at: 20, series: [[`kube_pod_status_ready{namespace="${NS}",pod="gateway-admin-7d9f8c6b5d-x2x4q",condition="true"}`, '0x30']] },
  { alert: 'TradingApiPodRestarting', fires: true, at: 20, series: [[`kube_pod_container_status_restarts_total{${pod},container="api"}`, '0+1x30']], exprLabels: { pod: POD } },
  { alert: 'TradingApiPodRestarting', fires: false, at: 20, series: [[`kube_pod_container_status_restarts_total{${pod},container="api"}`, '0x30']] },
  { alert: 'TradingApiExchangeKeyRejected', fires: true, at: 10, series: [[`exchange_responses_total{${svc},exchange="binance",code="401"}`, '0+1x30']], exprLabels: { exchange: 'binance', code: '401' } },
  { alert: 'TradingApiExchangeKeyRejected', fires: false, at: 10, series: [[`exchange_responses_total{${svc},exchange="binance",code="200"}`, '0+100x30']] },
  { alert: 'TradingApiExchangeRateLimited', fires: true, at: 10, series: [[`exchange_responses_total{${svc},exchange="okx",code="429"}`, '0+1x30']], exprLabels: { exchange: 'okx', code: '429' } },
  { alert: 'TradingApiExchangeRateLimited', fires: false, at: 10, series: [[`exchange_responses_total{${svc},exchange="okx",code="200"}`, '0+100x30']] },
  // A day at 0.2 orders per second, then 2 per second: ten times the baseline.
  { alert: 'TradingApiOrderRateAnomaly', fires: true, at: 1545, series: [[`orders_placed_total{${svc}}`, '0+12x1500 18120+120x59']] },
  { alert: 'TradingApiOrderRateAnomaly', fires: false, at: 1500, series: [[`orders_placed_total{${svc}}`, '0+12x1500 18120+120x59']] },
  // A steady high rate is the baseline itself.
  { alert: 'TradingApiOrderRateAnomaly', fires: false, at: 1545, series: [[`orders_placed_total{${svc}}`, '0+120x1560']] },
];

const promtool = execFileSync('bash', [path.join(__dirname, 'promtool.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

function run(variant: string, exposure: ServiceExposure): void {
  const chart = new Chart(new App(), 'alerts', { namespace: NS });
  new SecureTradingApi(chart, NAME, {
    image: `registry.example.com/trading/gateway:3.1.0@sha256:${'a'.repeat(64)}`,
    exposure,
    metrics: { port: 9100 },
    monitoring: {},
  });
  const rule = Testing.synth(chart).find((o) => o.kind === 'PrometheusRule');
  const rules: any[] = rule.spec.groups.flatMap((g: any) => g.rules);
  const cases = CASES.filter((c) => rules.some((r) => r.alert === c.alert));
  const out = path.join(OUT, variant);

  const missing = rules.map((r) => r.alert).filter((a) => !cases.some((c) => c.alert === a && c.fires) || !cases.some((c) => c.alert === a && !c.fires));
  if (missing.length > 0) {
    throw new Error(`alerts without a firing and a silent case: ${missing.join(', ')}`);
  }

  const tests = cases.map((c) => {
    const r = rules.find((x) => x.alert === c.alert);
    if (!r) {
      throw new Error(`no alert ${c.alert} in the synthesized PrometheusRule`);
    }
    return {
      name: `${c.alert} ${c.fires ? 'fires' : 'stays silent'}`,
      interval: '1m',
      input_series: c.series.map(([series, values]) => ({ series, values })),
      alert_rule_test: [{
        eval_time: `${c.at}m`,
        alertname: c.alert,
        exp_alerts: c.fires ? [{ exp_labels: { ...r.labels, ...c.exprLabels }, exp_annotations: r.annotations }] : [],
      }],
    };
  });

  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'rules.yaml'), Yaml.stringify({ groups: rule.spec.groups }));
  fs.writeFileSync(path.join(out, 'tests.yaml'), Yaml.stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }));

  execFileSync(promtool, ['check', 'rules', 'rules.yaml'], { cwd: out, stdio: 'inherit' });
  try {
    execFileSync(promtool, ['test', 'rules', 'tests.yaml'], { cwd: out, stdio: 'inherit' });
  } catch {
    console.log(`alerts (${variant}): ${cases.length} cases, ${rules.length} alerts: FAILED`);
    process.exit(1);
  }
  console.log(`alerts (${variant}): ${rules.length} alerts, ${cases.length} cases (${cases.filter((c) => c.fires).length} firing, ${cases.filter((c) => !c.fires).length} silent) passed promtool`);
}

run('service', ServiceExposure.INTERNAL);
run('worker', ServiceExposure.NONE);
