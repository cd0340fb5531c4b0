/**
 * Go durations as cert-manager reads them (`time.ParseDuration`), restricted to whole hours, minutes
 * and seconds in that order (`2160h`, `720h30m`, `90m`): every such string means the same to Go and
 * to the library, and nothing else reaches an annotation.
 */

const DURATION = /^(?:([0-9]{1,7})h)?(?:([0-9]{1,9})m)?(?:([0-9]{1,10})s)?$/;

/** The duration in seconds, or undefined when the text is not such a duration. */
export function parseGoDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || text === '') {
    return undefined;
  }
  const match = DURATION.exec(text);
  if (!match) {
    return undefined;
  }
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
