/**
 * Strings that cdk8s writes unquoted although kubectl's YAML 1.1 reader reads them as another type.
 * cdk8s quotes most of them (`"yes"`, `"0x1F"`, `"1"`), not all (`0o17`): the guard's YAML-STRINGS
 * rule and the props that pass user text through as is (environment values, arguments) share this.
 */
import { Yaml } from 'cdk8s';
import { readsAsNonString } from './validate';

/** Whether `value`, written by cdk8s, reads back in kubectl's YAML 1.1 reader as something other than this string. */
export function writtenAsNonString(value: string): boolean {
  // Rare by construction: only a string that reads as another type is rendered to see how cdk8s quotes it.
  return readsAsNonString(value) && !/^- ["']/.test(Yaml.stringify([value]));
}

/** A problem when cdk8s would write the value so that kubectl reads another type (the API server then refuses the object). */
export function writtenYamlProblem(value: string): string | undefined {
  return writtenAsNonString(value)
    ? 'would be written unquoted by cdk8s and read by kubectl\'s YAML reader (YAML 1.1) as a number, boolean or null, not as this text'
    : undefined;
}
