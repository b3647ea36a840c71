/**
 * Applying `swarm.env` (source/kinds/swarm-env.ts): one spec update setting (or removing) the
 * variable, timed like a network update (a spec update replaces the service's tasks).
 */
import {updateServiceEnv} from '../engine/swarm.js';
import type {Applier} from './applier.js';
import type {SwarmEnv} from './swarm-env.js';
import {timedUpdate} from './swarm-update.apply.js';

export const applySwarmEnv: Applier<SwarmEnv> = {
	apply: async (action, {engine, run}) =>
		timedUpdate(engine, action.service, () =>
			updateServiceEnv(engine, action.service, action.variable, action.after, action.order, {run}),
		),
};
