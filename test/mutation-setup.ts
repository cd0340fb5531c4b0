/**
 * Loaded only by mutation runs (stryker.config.mjs): a property that fails has killed the mutant, so
 * fast-check stops at the first counterexample instead of shrinking it, which can take longer than
 * the whole test file. Normal test runs keep shrinking, for readable failures.
 */
import * as fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
