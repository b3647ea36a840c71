/**
 * Whether a recreate whose outcome the journal does not know (the run was killed while compose
 * worked) already happened, so a resume does not recreate the service a second time: every
 * container of the service was created after the intent was journaled, runs (healthy when it has
 * a healthcheck), and compose itself would not recreate it now (`--dry-run up -d`: its hash of
 * the definition matches the container's), and no container anywhere on the engine is left in a
 * namespace that is gone or that it names by name (the killed run may have died before putting
 * those followers back). Anything else, or a doubt, says no: the recreate is
 * run again, as before — idempotent, only slower.
 */
import {wouldRecreate, type ComposeProject} from './compose.js';
import type {Engine} from './docker.js';

export async function alreadyRecreated(
	engine: Engine,
	compose: ComposeProject,
	action: {service: string; dependents: string[]; withDependencies?: boolean},
	intentAt: string,
): Promise<boolean> {
	if (!compose.name) return false;
	const since = Math.floor(Date.parse(intentAt) / 1000);
	if (!Number.isFinite(since)) return false;
	const everything = await engine.listSummaries();
	const names: string[] = [];
	for (const service of [action.service, ...action.dependents]) {
		const summaries = everything.filter(
			(summary) =>
				summary.Labels?.['com.docker.compose.project'] === compose.name &&
				summary.Labels?.['com.docker.compose.service'] === service,
		);
		if (summaries.length === 0) return false;
		for (const summary of summaries) {
			const healthy = !/\((unhealthy|health: starting)\)/.test(summary.Status ?? '');
			if (summary.State !== 'running' || summary.Created < since || !healthy) return false;
			names.push((summary.Names[0] ?? '').replace(/^\//, ''));
		}
	}
	const ids = new Set(everything.map((summary) => summary.Id));
	const followerLeft = everything.some((summary) => {
		const reference = /^container:(.+)$/.exec(summary.HostConfig?.NetworkMode ?? '')?.[1];
		return reference !== undefined && (names.includes(reference) || (/^[0-9a-f]{64}$/.test(reference) && !ids.has(reference)));
	});
	if (followerLeft) return false;
	// Asked as the recreate was made: the owner alone, then its followers without it (with --no-deps,
	// compose hashes a service without the depends_on of services not named in the same call).
	const calls =
		action.dependents.length > 0 && !action.withDependencies
			? [[action.service], action.dependents]
			: [[action.service, ...action.dependents]];
	const stale = new Set(
		(await Promise.all(calls.map(async (services) => wouldRecreate(compose, {services, noDeps: !action.withDependencies})))).flat(),
	);
	return names.every((name) => !stale.has(name));
}
