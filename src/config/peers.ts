/**
 * The props that name pods inside the cluster the service talks to: the metrics scraper that calls
 * in, and the dependencies (database, cache, broker) it calls out to. Always by namespace and labels,
 * never by address: pod addresses change, and a private range reaches every pod behind it.
 */
import { ClusterDependency, MetricsEndpoint } from '../network-props';
import { SecureTradingApiProps } from '../props';
import { dns1123LabelProblem, httpPathProblem, integerProblem, Problems } from '../validate';
import { check, listOf, ownProps, podSelectorLabels, stringProblem } from './common';

/** The metrics container port's name. */
export const METRICS_PORT_NAME = 'metrics';
const METRICS_KEYS = ['port', 'path', 'scraperNamespace', 'scraperPodLabels'];
const DEPENDENCY_KEYS = ['namespace', 'podLabels', 'ports'];
const SYSTEM_NAMESPACE = /^kube-/;

/** The metrics endpoint and who may scrape it. */
export interface ResolvedMetrics {
  readonly port: number;
  readonly path: string;
  readonly scraperNamespace: string;
  readonly scraperPodLabels: { [key: string]: string };
}

/** Pods the service may call, and on which ports. */
export interface ResolvedDependency {
  readonly namespace: string;
  readonly podLabels: { [key: string]: string };
  /** Distinct, ascending. */
  readonly ports: number[];
}

/** What the workload (metrics port) and network (scraper, dependencies) parts need. */
export interface ResolvedPeers {
  readonly metrics?: ResolvedMetrics;
  readonly clusterDependencies: ResolvedDependency[];
}

/** Resolves `metrics` and `clusterDependencies`; `apiPort` and `namespace` are the service's, already resolved. */
export function resolvePeers(props: SecureTradingApiProps, apiPort: unknown, namespace: string | undefined, problems: Problems): ResolvedPeers {
  return {
    metrics: props.metrics === undefined ? undefined : resolveMetrics(props.metrics, apiPort, problems),
    clusterDependencies: resolveDependencies(props.clusterDependencies, namespace, problems),
  };
}

function resolveMetrics(value: MetricsEndpoint, apiPort: unknown, problems: Problems): ResolvedMetrics | undefined {
  const given = ownProps<MetricsEndpoint>(problems, 'metrics', value, METRICS_KEYS, '{ port: 9090 }');
  if (!given) {
    return undefined;
  }
  const port = given.port as number;
  if (port === undefined) {
    problems.add('metrics.port', port, 'is required', 'give the container port that serves metrics, such as 9090');
  } else {
    check(problems, 'metrics.port', port, integerProblem(port, 1025, 65535),
      'use an unprivileged port from 1025 to 65535 (the container has no capability to bind below 1024)');
    if (port === apiPort) {
      problems.add('metrics.port', port, 'is the API port', 'serve metrics on a port of its own, so the scraper is never admitted to the trading API');
    }
  }
  const path = given.path ?? '/metrics';
  check(problems, 'metrics.path', path, stringProblem(path) ?? httpPathProblem(path), 'use an absolute HTTP path such as "/metrics"');
  const scraperNamespace = given.scraperNamespace ?? 'monitoring';
  check(problems, 'metrics.scraperNamespace', scraperNamespace, stringProblem(scraperNamespace) ?? dns1123LabelProblem(scraperNamespace),
    'name the namespace Prometheus runs in, such as "monitoring"');
  const scraperPodLabels = podSelectorLabels(problems, 'metrics.scraperPodLabels',
    given.scraperPodLabels ?? { 'app.kubernetes.io/name': 'prometheus' }, '{ "app.kubernetes.io/name": "prometheus" }', 'the scraper\'s pods');
  return { port, path, scraperNamespace, scraperPodLabels };
}

function resolveDependencies(value: unknown, namespace: string | undefined, problems: Problems): ResolvedDependency[] {
  const example = '[{ namespace: "databases", podLabels: { "app.kubernetes.io/name": "postgresql" }, ports: [5432] }]';
  const items = value === undefined ? [] : listOf(problems, 'clusterDependencies', value, example) ?? [];
  const out: ResolvedDependency[] = [];
  const seen = new Map<string, string>();
  items.forEach((item, index) => {
    const prop = `clusterDependencies[${index}]`;
    const given = ownProps<ClusterDependency>(problems, prop, item, DEPENDENCY_KEYS, example.slice(1, -1));
    if (!given) {
      return;
    }
    const ns = (given.namespace ?? namespace) as string;
    if (given.namespace !== undefined) {
      const problem = stringProblem(ns) ?? dns1123LabelProblem(ns);
      check(problems, `${prop}.namespace`, ns, problem, 'name the namespace the pods run in, such as "databases"');
      if (!problem && SYSTEM_NAMESPACE.test(ns)) {
        problems.add(`${prop}.namespace`, ns, 'is a Kubernetes system namespace; cluster DNS is already allowed and nothing else there is for an application to call',
          'name the namespace of the database, cache or broker');
      }
    }
    const podLabels = podSelectorLabels(problems, `${prop}.podLabels`, given.podLabels, '{ "app.kubernetes.io/name": "postgresql" }', 'the pods the service calls');
    const ports = resolvePorts(problems, `${prop}.ports`, given.ports);
    const key = JSON.stringify([ns, Object.entries(podLabels).sort()]);
    if (seen.has(key)) {
      problems.add(prop, item, `selects the same pods as ${seen.get(key)}`, 'list each dependency once, with all its ports');
      return;
    }
    seen.set(key, prop);
    out.push({ namespace: ns, podLabels, ports });
  });
  return out;
}

function resolvePorts(problems: Problems, prop: string, value: unknown): number[] {
  if (value === undefined) {
    problems.add(prop, value, 'is required', 'list the TCP ports the service connects to, such as [5432]');
    return [];
  }
  const ports = listOf(problems, prop, value, '[5432]') ?? [];
  if (Array.isArray(value) && ports.length === 0) {
    problems.add(prop, value, 'is empty, which would allow every port', 'list the TCP ports the service connects to, such as [5432]');
  }
  const out = new Set<number>();
  ports.forEach((port, i) => {
    const problem = integerProblem(port as number, 1, 65535);
    if (problem) {
      problems.add(`${prop}[${i}]`, port, problem, 'use a TCP port from 1 to 65535');
    } else if (out.has(port as number)) {
      problems.add(`${prop}[${i}]`, port, 'is listed twice', 'list each port once');
    } else {
      out.add(port as number);
    }
  });
  return [...out].sort((a, b) => a - b);
}
