/**
 * Applying `service.recreate` (source/kinds/service-recreate.ts): compose recreates the service
 * behind the health gate (source/health-gate.ts), its namespace dependents after it in groups
 * (source/namespace-recreate.ts); then containers of any project that shared the old container's
 * network namespace are brought into the new one. A resumed recreate the killed run already
 * finished (engine and compose agree) is not done twice.
 */
import {recreateServices} from '../engine/compose.js';
import {followerProject, rejoinFollowers, serviceContainers, type Owner} from '../engine/followers.js';
import {alreadyRecreated} from '../engine/recreated.js';
import {NetmigrateError, wayOn} from '../errors.js';
import {recreateGated} from '../health-gate.js';
import {recreateNamespace} from '../namespace-recreate.js';
import type {Applier, Applying} from './applier.js';
import type {ServiceRecreate} from './service-recreate.js';

export const applyServiceRecreate: Applier<ServiceRecreate> = {
	apply: async (action, context) => {
		const owners = context.compose.name ? await serviceContainers(context.engine, context.compose.name, action.service) : [];
		const options = {withDependencies: action.withDependencies ?? false};
		if (action.dependents.length > 0) await recreateNamespace(context, action.service, action.dependents, options);
		else await recreateGated(context, [action.service], options);
		await rejoin(context, action.service, owners);
		return true;
	},
	finishedSince: async (action, {engine, compose}, intentAt) => alreadyRecreated(engine, compose, action, intentAt),
};

/**
 * Containers of any project in the recreated service's old namespace: restarted into the new one
 * when they name it, recreated from their own compose project when compose pinned its old id.
 */
async function rejoin(context: Applying, service: string, owners: Owner[]): Promise<void> {
	const {restarted, stranded} = await rejoinFollowers(context.engine, owners, new Set());
	const log = (message: string) => context.emit?.({type: 'log', level: 'info', message});
	for (const name of restarted)
		log(`restarted ${name}: it shares ${service}'s network namespace (network_mode: container:…), which the recreate replaced`);
	const orphans: string[] = [];
	for (const follower of stranded) {
		const origin = followerProject(follower, context.compose.host);
		if (!origin) {
			orphans.push(follower.name);
			continue;
		}
		await recreateServices(origin.project, [origin.service], {run: context.run});
		log(
			`recreated ${follower.name} in its own compose project ${origin.project.name}: it shares ${service}'s network namespace, which the recreate replaced`,
		);
	}
	if (orphans.length > 0) {
		throw new NetmigrateError(
			`${orphans.join(', ')} shared the network namespace of ${service}'s old container by its id, and have only lo now`,
			{
				hint: `recreate them as you created them (they are not from a compose project), ${wayOn(context.run)}`,
			},
		);
	}
}
