/**
 * One construct per cdk8s App (the audit policy, the guard): found at the root under a fixed id, or
 * created there on first use.
 */
import { Construct, IConstruct } from 'constructs';

/**
 * The construct with id `id` at the root of `scope`'s App when `is` recognises it, otherwise a new one
 * made by `create` (the classes keep their constructors private).
 */
export function appSingleton<T extends Construct>(
  scope: IConstruct,
  id: string,
  is: (existing: IConstruct | undefined) => existing is T,
  create: (root: Construct, id: string) => T,
): T {
  const root = scope.node.root;
  const existing = root.node.tryFindChild(id);
  return is(existing) ? existing : create(root as Construct, id);
}
