/**
 * Applying `swarm.update` (source/kinds/swarm-update.ts): one spec update, which replaces the
 * service's tasks; how long it had none running is its downtime, journaled with the outcome
 * (`timedUpdate`, which `swarm.env` shares).
 */
import type {Engine} from '../engine/docker.js';
import {updateServiceNetworks} from '../engine/swarm.js';
import {runningTaskIds, updateDowntime} from '../engine/swarm-downtime.js';
import type {Applied, Applier} from './applier.js';
import type {SwarmUpdate} from './swarm-update.js';

export const applySwarmUpdate: Applier<SwarmUpdate> = {
	apply: async (action, {engine, run}) =>
		timedUpdate(engine, action.service, () => updateServiceNetworks(engine, action.service, action.after, action.order, {run})),
};

/** A spec update of `service`, and how long it then had no task running; false when the spec was already so. */
export async function timedUpdate(engine: Engine, service: string, update: () => Promise<boolean>): Promise<Applied> {
	const replaced = await runningTaskIds(engine, service);
	const changed = await update();
	return changed ? {changed, downtimeMs: await updateDowntime(engine, service, replaced)} : false;
}
