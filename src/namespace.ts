/**
 * The namespace as a unit: one construct that emits the Namespace a trading platform runs in, with
 * everything that makes it safe to share between services: Pod Security Admission at restricted, a
 * namespace-wide default deny, a quota that forbids the Service types that bypass the edge, and
 * container defaults and limits. Services created inside it take their namespace from it.
 */
import { ApiObject, ApiObjectMetadata, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { AuditPolicy } from './audit';
import { resolveNamespaceConfig } from './config/namespace';
import { Guard } from './guard/guard';
import { TradingNamespaceProps } from './namespace-props';
import { Problems } from './validate';

/** Marks TradingNamespace instances, so that a second copy of the library still recognises them. */
const TRADING_NAMESPACE = Symbol.for('cdk8s-secure-trading-api.TradingNamespace');

/** The labels every object of the namespace carries besides the user's. */
const RECOMMENDED_LABELS = { 'app.kubernetes.io/part-of': 'secure-trading-api', 'app.kubernetes.io/managed-by': 'cdk8s' };

/**
 * A namespace for services that hold exchange API keys, as one unit.
 *
 * Emits a `Namespace` labelled for Pod Security Admission (`restricted` in enforce, audit and warn
 * mode, policy version `latest`), a NetworkPolicy `default-deny` that selects every pod of the
 * namespace and allows nothing, a ResourceQuota `resource-quota` (which also allows no LoadBalancer
 * and no NodePort Service), and a LimitRange `limit-range` for containers. Each is a public child.
 * The app's kube-apiserver {@link AuditPolicy} logs the requests in the namespace.
 *
 * The Namespace is cluster-scoped: it carries no `metadata.namespace`, even in a Chart that has one,
 * and it comes first in the Chart's output, before every object of the Chart in this namespace, so
 * that `kubectl apply -f` creates it before what lives in it.
 *
 * Its objects are checked by the guard at synth as a unit of their own (rules `NS-*`), and appear in
 * the compliance report. Props are validated before anything is created.
 */
export class TradingNamespace extends Construct {
  /**
   * The nearest TradingNamespace enclosing `scope` (`scope` itself included), if any.
   *
   * @param scope any construct
   */
  public static find(scope: IConstruct): TradingNamespace | undefined {
    if (!scope || typeof (scope as any).node !== 'object') {
      return undefined;
    }
    return [...scope.node.scopes].reverse().find(isTradingNamespace);
  }

  /** The namespace's name. */
  public readonly name: string;
  /** The Namespace object, labelled for Pod Security Admission at `restricted`. */
  public readonly namespace: k8s.KubeNamespace;
  /** Denies all ingress and egress of every pod in the namespace; the services' allow policies open what each needs. */
  public readonly defaultDenyPolicy: k8s.KubeNetworkPolicy;
  /** The namespace's quota: compute, storage and pods, and no LoadBalancer or NodePort Service. */
  public readonly resourceQuota: k8s.KubeResourceQuota;
  /** Default requests and limits for containers that state none, and the most one container may use. */
  public readonly limitRange: k8s.KubeLimitRange;
  /** The app-wide kube-apiserver audit policy, which now logs the requests in this namespace. */
  public readonly auditPolicy: AuditPolicy;
  /** The app-wide guard, which checks the namespace's final output at synth. */
  public readonly guard: Guard;

  /**
   * @param scope the Chart (or a construct inside it) that holds the namespace's objects
   * @param id the construct id; also the namespace's name unless `props.name` is set
   * @param props the namespace's configuration; validated before anything is created
   */
  constructor(scope: Construct, id: string, props: TradingNamespaceProps = {}) {
    // Everything is validated before `super`, so invalid props leave no trace in the construct tree.
    const path = [...scope.node.scopes.map((c) => c.node.id).filter((part) => part !== ''), id].join('/');
    const subject = `TradingNamespace '${path}'`;
    const config = resolveNamespaceConfig(props, subject, id);
    const problems = new Problems();
    if (!scope.node.scopes.some((c) => Chart.isChart(c))) {
      problems.add('scope', scope.node.path || '(the App)', 'is not inside a Chart, so cdk8s has nowhere to put the objects',
        'create the TradingNamespace inside a Chart: new TradingNamespace(new Chart(app, "platform"), "trading")');
    }
    const outer = TradingNamespace.find(scope);
    if (outer) {
      problems.add('scope', scope.node.path, `is inside TradingNamespace '${outer.node.path}'; a namespace cannot hold another`,
        'create the TradingNamespace in a Chart, beside the other one');
    }
    const twin = scope.node.root.node.findAll().find((c): c is TradingNamespace => isTradingNamespace(c) && c.name === config.name);
    if (twin) {
      problems.add('name', config.name, `is already the name of TradingNamespace '${twin.node.path}' in this App`,
        'give each TradingNamespace its own name, or create the services in the existing one');
    }
    problems.throwIfAny(subject);
    super(scope, id);
    Object.defineProperty(this, TRADING_NAMESPACE, { value: true });

    this.name = config.name;
    const metadata = (name: string): ApiObjectMetadata => ({ name, namespace: config.name, labels: { ...RECOMMENDED_LABELS } });

    this.namespace = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: config.name,
        labels: { ...RECOMMENDED_LABELS, ...config.labels },
        annotations: Object.keys(config.annotations).length > 0 ? { ...config.annotations } : undefined,
      },
    });
    // cdk8s gives every object the Chart's namespace; a Namespace is cluster-scoped and has none.
    if (Chart.of(this).namespace !== undefined) {
      this.namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }

    this.defaultDenyPolicy = new k8s.KubeNetworkPolicy(this, 'DefaultDenyPolicy', {
      metadata: metadata('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    this.resourceQuota = new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: metadata('resource-quota'),
      spec: { hard: quantities(config.quota) },
    });

    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: metadata('limit-range'),
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: quantities(config.defaultRequest),
          default: quantities(config.defaultLimit),
          max: quantities(config.max),
        }],
      },
    });

    this.node.addValidation({ validate: () => this.namespaceFirst() });
    this.auditPolicy = AuditPolicy.of(this);
    this.auditPolicy.addNamespace(config.name);
    this.guard = Guard.of(this);
    this.guard._guardNamespace(this);
  }

  /**
   * The objects a service inside this namespace reads, without owning them, when the guard checks it
   * (the namespace-wide default deny covers the service's pods).
   *
   * @internal
   */
  public _sharedWithServices(): ApiObject[] {
    return [this.namespace, this.defaultDenyPolicy, this.resourceQuota, this.limitRange];
  }

  /**
   * Before each synth: every object of the Chart that lives in this namespace (or under this
   * construct) depends on the Namespace, so cdk8s writes the Namespace first.
   */
  private namespaceFirst(): string[] {
    if (this.node.tryFindChild('Namespace') !== this.namespace) {
      return [];
    }
    const chart = Chart.of(this);
    for (const child of chart.node.findAll()) {
      if (child instanceof ApiObject && child !== this.namespace && Chart.of(child) === chart
        && (child.metadata.namespace === this.name || child.node.scopes.includes(this))) {
        child.addDependency(this.namespace);
      }
    }
    return [];
  }
}

function isTradingNamespace(c: IConstruct): c is TradingNamespace {
  return (c as any)[TRADING_NAMESPACE] === true;
}

function quantities(values: { [key: string]: string }): { [key: string]: k8s.Quantity } {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, k8s.Quantity.fromString(value)]));
}
