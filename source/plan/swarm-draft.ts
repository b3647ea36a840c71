/**
 * A draft for a swarm stack (`init --swarm <stack>`): the same tiers, networks and checks, with
 * `target: swarm`, and only what netmigrate does on a swarm — multi-homing, allow-lists and
 * checks. Unpublishing, detaching and labels are left out (the draft says which iterations lost
 * what), so an iteration left with nothing to do is left out too, and with no detach there is no
 * retire-legacy for `egress: false` to prepare.
 */
import type {DraftIteration} from './iterations.js';
import type {DraftDocument} from './render.js';

export function forSwarm(document: DraftDocument): DraftDocument {
	const dropped: string[] = [];
	const iterations: DraftIteration[] = [];
	for (const iteration of document.iterations) {
		const left = [
			...(iteration.unpublish.length > 0 ? ['unpublish'] : []),
			...(iteration.detach.length > 0 ? ['detach'] : []),
			...(iteration.labels.length > 0 ? ['labels'] : []),
		];
		if (left.length > 0) dropped.push(`${iteration.name} (${left.join(', ')})`);
		const kept = {...iteration, unpublish: [], detach: [], labels: []};
		if (kept.attach.length > 0 || kept.firewall.length > 0 || kept.checks.length > 0 || iterations.length === 0) iterations.push(kept);
	}
	const warnings =
		dropped.length > 0
			? [
					`on a swarm netmigrate does not yet unpublish, detach or set labels: left out of ${dropped.join(', ')} — do them by hand (\`docker service update\`) once the stack runs on its new networks`,
				]
			: [];
	return {...document, target: 'swarm', iterations, egressFalse: [], warnings: [...document.warnings, ...warnings]};
}
