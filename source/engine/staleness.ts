/**
 * Which services a plain `docker compose up -d` would recreate now: compose's own dry run,
 * mapped to services through the running containers. Settle recreates exactly these; the
 * report lists them as still to settle.
 */
import {wouldRecreate, type ComposeProject} from './compose.js';
import type {Engine} from './docker.js';

/**
 * What a plain `up -d` would recreate now, by service, and which services have containers: one
 * compose dry run and one list request (no inspects), for the settle and for the report.
 */
export async function readStaleness(
	engine: Engine,
	compose: ComposeProject,
	project: string,
): Promise<{stale: string[]; withContainers: Set<string>}> {
	const [recreated, containers] = await Promise.all([wouldRecreate(compose), engine.listRunningContainers(project)]);
	return {
		stale: staleServices(recreated, containers),
		withContainers: new Set(containers.flatMap((container) => (container.service ? [container.service] : []))),
	};
}

/** The services of the containers compose would recreate (source/engine/compose.ts `wouldRecreate`). */
export function staleServices(recreated: string[], containers: Array<{name: string; service?: string}>): string[] {
	const names = new Set(recreated);
	return [
		...new Set(
			containers
				.filter((container) => names.has(container.name) && container.service)
				.map((container) => container.service as string),
		),
	];
}
