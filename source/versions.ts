/**
 * What each engine and compose version allows, and how versions compare: the engine API's
 * "1.48" by major and minor, compose's "2.26.1" part by part. Pure vocabulary like
 * source/domain.ts (every layer may import it, it imports nothing): preflight refuses an engine
 * or compose too old, and discovery, init and multi-homing ask whether gw_priority is honoured.
 */

/**
 * Engine API 1.48 (Engine 28) chooses a container's default gateway by each endpoint's
 * GwPriority before the network's name; older engines ignore the field.
 */
export const gwPriorityApi = '1.48';

/** Compose reads a service network's `gw_priority` from 2.33 on; older versions refuse the key. */
export const gwPriorityCompose = '2.33';

/** Whether version `have` is at least `want`, by major and minor ("1.48" ≥ "1.45", "2.40.3" ≥ "2.33"). */
export function apiAtLeast(have: string | undefined, want: string): boolean {
	if (!have) return false;
	const [haveMajor = 0, haveMinor = 0] = have.split('.').map(Number);
	const [wantMajor = 0, wantMinor = 0] = want.split('.').map(Number);
	return haveMajor > wantMajor || (haveMajor === wantMajor && haveMinor >= wantMinor);
}

/** "2.26.1" ≥ "2.17.0", part by part as numbers ("v" and "-suffixes" ignored). */
export function versionAtLeast(version: string, minimum: string): boolean {
	const parts = (text: string) => text.replace(/^v/, '').split(/[-+]/)[0]?.split('.').map(Number) ?? [];
	const [have, need] = [parts(version), parts(minimum)];
	for (let index = 0; index < need.length; index++) {
		const difference = (have[index] ?? 0) - (need[index] ?? 0);
		if (Number.isNaN(difference)) return false;
		if (difference !== 0) return difference > 0;
	}
	return true;
}
