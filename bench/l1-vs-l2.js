'use strict';
/**
 * Does a cdk8s-plus-27 L2 construct carry its weight here? One hardened Deployment per service,
 * N of them in one Chart, built and synthesized two ways:
 *
 *   L1  k8s.KubeDeployment with the library's own pod spec (lib/workload.js), as SecureTradingApi does
 *   L2  kplus.Deployment with the closest props it offers, plus JSON patches for what it cannot
 *       express (seccompProfile, enableServiceLinks, zone spread; ephemeral
 *       storage below 1Gi)
 *
 *   node bench/l1-vs-l2.js [--n 300] [--runs 5]     (needs a compiled lib/)
 *
 * Each sample is a fresh process (--expose-gc); the variants are interleaved; one warm-up of each is
 * discarded. Reported: median [min–max] of build + synth time, peak RSS above the loaded baseline,
 * constructs in the tree per Deployment, and YAML bytes per Deployment.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function worker(variant, n) {
  const { performance } = require('perf_hooks');
  const cdk8s = require('cdk8s');
  const kplus = require('cdk8s-plus-27');
  const { resolveConfig } = require(path.join(ROOT, 'lib', 'config'));
  const { podSpec } = require(path.join(ROOT, 'lib', 'workload'));
  const { credentialMounts } = require(path.join(ROOT, 'lib', 'credentials'));
  const lib = require(ROOT);
  const props = {
    image: 'ghcr.io/example/order-gateway:1.4.2@sha256:3f1e1c0b5a0d4c1e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f',
    host: 'api.trading.example.com',
    tls: lib.TlsCertificate.fromCertManagerClusterIssuer('letsencrypt-prod'),
    credentials: [lib.ExchangeCredentials.fromSecret('binance-futures-api', { keys: ['api-key', 'api-secret'] })],
    exchangeEndpoints: [{ cidr: '203.0.113.0/24', port: 443 }],
  };

  function l1(chart, i) {
    const config = resolveConfig(props, 'order-gateway', `svc-${i}`);
    const credentials = credentialMounts(config);
    new kplus.k8s.KubeDeployment(chart, `d${i}`, {
      metadata: { name: config.name, namespace: config.namespace, labels: { ...config.labels } },
      spec: {
        replicas: config.replicas,
        selector: { matchLabels: { ...config.selector } },
        template: {
          metadata: { labels: { ...config.labels } },
          spec: podSpec(config, { serviceAccountName: config.name, volumes: credentials.volumes, mounts: credentials.mounts }),
        },
      },
    });
  }

  function l2(chart, i) {
    const config = resolveConfig(props, 'order-gateway', `svc-${i}`);
    const uid = config.runAsUser;
    const tmp = kplus.Volume.fromEmptyDir(chart, `tmp${i}`, 'tmp', { sizeLimit: cdk8s.Size.mebibytes(64) });
    const secret = kplus.Volume.fromSecret(chart, `secret${i}`, kplus.Secret.fromSecretName(chart, `s${i}`, 'binance-futures-api'), {
      name: 'credentials-0', defaultMode: 0o440, optional: false,
      items: { 'api-key': { path: 'api-key' }, 'api-secret': { path: 'api-secret' } },
    });
    const d = new kplus.Deployment(chart, `d${i}`, {
      metadata: { name: config.name, namespace: config.namespace, labels: { ...config.labels } },
      replicas: config.replicas,
      automountServiceAccountToken: false,
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, `sa${i}`, config.name),
      securityContext: { ensureNonRoot: true, user: uid, group: uid, fsGroup: uid, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH },
      containers: [{
        name: 'api',
        image: config.image,
        imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
        ports: [{ name: 'http', number: config.port }],
        securityContext: {
          ensureNonRoot: true, user: uid, group: uid, privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
          capabilities: { drop: [kplus.Capability.ALL] },
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: cdk8s.Size.mebibytes(128), limit: cdk8s.Size.mebibytes(256) },
          // The L2 writes ephemeral storage in whole GiB only: 1Gi where the library sets Mi values.
          ephemeralStorage: { request: cdk8s.Size.gibibytes(1), limit: cdk8s.Size.gibibytes(1) },
        },
        startup: kplus.Probe.fromHttpGet(config.livenessPath, { port: config.port, periodSeconds: cdk8s.Duration.seconds(5), failureThreshold: 24 }),
        readiness: kplus.Probe.fromHttpGet(config.readinessPath, { port: config.port, periodSeconds: cdk8s.Duration.seconds(5) }),
        liveness: kplus.Probe.fromHttpGet(config.livenessPath, { port: config.port, periodSeconds: cdk8s.Duration.seconds(10) }),
        volumeMounts: [{ volume: tmp, path: '/tmp' }, { volume: secret, path: config.credentials[0].mountPath, readOnly: true }],
      }],
    });
    // What the L2 cannot express.
    cdk8s.ApiObject.of(d).addJsonPatch(
      cdk8s.JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      cdk8s.JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
      cdk8s.JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [{
        maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...config.selector } },
      }]),
    );
  }

  global.gc();
  const rss0 = process.memoryUsage().rss;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sta-l1l2-'));
  const t0 = performance.now();
  const app = new cdk8s.App({ outdir });
  const chart = new cdk8s.Chart(app, 'services');
  for (let i = 0; i < n; i++) {
    (variant === 'L1' ? l1 : l2)(chart, i);
  }
  app.synth();
  const ms = performance.now() - t0;
  const bytes = fs.readdirSync(outdir).reduce((sum, f) => sum + fs.statSync(path.join(outdir, f)).size, 0);
  fs.rmSync(outdir, { recursive: true, force: true });
  console.log(JSON.stringify({
    ms,
    peakMiB: (process.resourceUsage().maxRSS * 1024 - rss0) / 2 ** 20,
    constructsPerDeployment: (app.node.findAll().length - 2) / n,
    bytesPerDeployment: bytes / n,
  }));
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function main() {
  const argv = process.argv.slice(2);
  const opt = (name, d) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : d);
  const n = opt('--n', 300);
  const runs = opt('--runs', 5);
  const samples = { L1: [], L2: [] };
  for (let run = -1; run < runs; run++) {
    for (const variant of run % 2 === 0 ? ['L1', 'L2'] : ['L2', 'L1']) {
      const r = spawnSync(process.execPath, ['--expose-gc', __filename, '--worker', variant, String(n)], { cwd: ROOT, encoding: 'utf8' });
      if (r.status !== 0) {
        throw new Error(r.stderr);
      }
      if (run >= 0) {
        samples[variant].push(JSON.parse(r.stdout.trim().split('\n').pop()));
      }
    }
  }
  const fmt = (values, unit, digits = 0) => `${median(values).toFixed(digits)} ${unit} [${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}]`;
  const row = (v) => `| ${v} | ${fmt(samples[v].map((s) => s.ms), 'ms')} | ${fmt(samples[v].map((s) => s.peakMiB), 'MiB', 1)} | ${samples[v][0].constructsPerDeployment} | ${samples[v][0].bytesPerDeployment.toFixed(0)} |`;
  console.log(`${n} hardened Deployments in one Chart, build + synth, ${runs} runs:\n`);
  console.log('| Variant | Time | Peak memory | Constructs per Deployment | YAML bytes per Deployment |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(row('L1'));
  console.log(row('L2'));
  const ratio = median(samples.L2.map((s, i) => s.ms / samples.L1[i].ms));
  console.log(`\nL2 / L1 time: ${ratio.toFixed(2)}x`);
}

if (process.argv[2] === '--worker') {
  worker(process.argv[3], Number(process.argv[4]));
} else {
  main();
}
