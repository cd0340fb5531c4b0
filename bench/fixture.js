'use strict';
/**
 * What the construct-overhead benchmark builds, shared by every worker.
 *
 * The platform app: N services, each a `SecureTradingApi` with the example's props, each in a Chart
 * of its own namespace. The floor: the same Charts holding plain `ApiObject`s built from the JSON the
 * library produced (kept as text and parsed while building, so that the floor holds its own objects
 * as the library does), plus the audit policy file written with cdk8s' own `Yaml.save` and the
 * compliance report's two files written as text. Both are
 * synthesized through the same path, `App.synth()` into a directory.
 */
const fs = require('fs');
const path = require('path');

/** The Chart id and namespace of service `i`. */
function chartName(i) {
  return `svc-${String(i).padStart(4, '0')}`;
}

/** The props of examples/trading-gateway/main.ts, with a host of its own for service `i` (two services on one host are refused). */
function serviceProps(lib, i) {
  return {
    image: 'ghcr.io/example/order-gateway:1.4.2@sha256:3f1e1c0b5a0d4c1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f',
    host: `${chartName(i)}.trading.example.com`,
    tls: lib.TlsCertificate.fromCertManagerClusterIssuer('letsencrypt-prod'),
    credentials: [lib.ExchangeCredentials.fromSecret('binance-futures-api', { keys: ['api-key', 'api-secret'] })],
    exchangeEndpoints: [{ cidr: '203.0.113.0/24', port: 443 }],
    operatorGroups: ['trading-oncall'],
  };
}

/**
 * N services through the library, each in its own namespace. Layouts:
 * - `chart-per-service`: each service in a Chart of its own (the platform app of the benchmark);
 * - `one-chart`: all services in one Chart, the namespace given by the `namespace` prop.
 */
function buildLibrary(cdk8s, lib, n, outdir, layout = 'chart-per-service') {
  const app = new cdk8s.App({ outdir });
  const shared = layout === 'one-chart' ? new cdk8s.Chart(app, 'platform') : undefined;
  for (let i = 0; i < n; i++) {
    if (shared) {
      new lib.SecureTradingApi(shared, chartName(i), { ...serviceProps(lib, i), name: 'order-gateway', namespace: chartName(i) });
    } else {
      const chart = new cdk8s.Chart(app, chartName(i), { namespace: chartName(i) });
      new lib.SecureTradingApi(chart, 'order-gateway', serviceProps(lib, i));
    }
  }
  return app;
}

function synthLibrary(app) {
  app.synth();
}

/** The same Charts, holding plain ApiObjects made from the precomputed JSON. */
function buildFloor(cdk8s, input, outdir) {
  const app = new cdk8s.App({ outdir });
  for (const c of input.charts) {
    const chart = new cdk8s.Chart(app, c.id, c.namespace === undefined ? {} : { namespace: c.namespace });
    // Parsed here, not once for all rounds: the floor must hold its own objects, as the library does.
    JSON.parse(c.objects).forEach((object, j) => new cdk8s.ApiObject(chart, `o${j}`, object));
  }
  return app;
}

function synthFloor(cdk8s, app, input) {
  app.synth();
  for (const file of input.files) {
    const target = path.join(app.outdir, file.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (file.text !== undefined) {
      fs.writeFileSync(target, file.text);
    } else {
      cdk8s.Yaml.save(target, file.documents);
    }
  }
}

/**
 * Synthesizes N services through the library into `outdir` and returns the floor's input: each
 * Chart's JSON exactly as `chart.toJson()` returned it during that synth, and the audit policy.
 */
function captureFloorInput(cdk8s, lib, n, outdir, layout) {
  const captured = new Map();
  const toJson = cdk8s.Chart.prototype.toJson;
  cdk8s.Chart.prototype.toJson = function captureToJson() {
    const json = toJson.call(this);
    captured.set(this.node.id, json);
    return json;
  };
  try {
    const app = buildLibrary(cdk8s, lib, n, outdir, layout);
    synthLibrary(app);
    const charts = app.charts.map((chart) => ({ id: chart.node.id, namespace: chart.namespace, objects: JSON.stringify(captured.get(chart.node.id)) }));
    const audit = lib.AuditPolicy.of(app);
    // The compliance report, as the library wrote it: the floor writes the same bytes.
    const reports = [lib.Guard.REPORT_JSON_PATH, lib.Guard.REPORT_MARKDOWN_PATH]
      .map((file) => ({ path: file, text: fs.readFileSync(path.join(outdir, file), 'utf8') }));
    return { charts, files: [{ path: lib.AuditPolicy.FILE_PATH, documents: [audit.toJson()] }, ...reports] };
  } finally {
    cdk8s.Chart.prototype.toJson = toJson;
  }
}

module.exports = { buildFloor, buildLibrary, captureFloorInput, chartName, synthFloor, synthLibrary };
