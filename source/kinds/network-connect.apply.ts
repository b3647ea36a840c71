/**
 * Applying `network.connect` (source/kinds/network-connect.ts): the container must exist and run
 * (netmigrate connects running containers); one already on the network is done.
 */
import type {RunKind} from '../domain.js';
import type {Engine} from '../engine/docker.js';
import {NetmigrateError, wayOn} from '../errors.js';
import type {Applier} from './applier.js';
import type {NetworkConnect} from './network-connect.js';

export const applyNetworkConnect: Applier<NetworkConnect> = {
	apply: async (action, {engine, run}) => {
		const container = await requireContainer(engine, action.container, run);
		if (container.networks.some((endpoint) => endpoint.network === action.network)) return false;
		await engine.connect(action.network, action.container, {
			aliases: action.aliases,
			...(action.ipv4 ? {ipv4: action.ipv4} : {}),
			...(action.ipv6 ? {ipv6: action.ipv6} : {}),
			...(action.gwPriority === undefined ? {} : {gwPriority: action.gwPriority}),
		});
		return true;
	},
};

async function requireContainer(engine: Engine, name: string, run: RunKind) {
	const container = await engine.inspectContainer(name);
	if (!container) {
		throw new NetmigrateError(`container ${name} does not exist`, {
			hint: `start the stack (\`docker compose up -d\`): netmigrate connects running containers; ${wayOn(run)}`,
		});
	}
	if (container.state !== 'running') {
		throw new NetmigrateError(`container ${name} is ${container.state}, not running`, {
			hint: `start it (\`docker start ${name}\`), ${wayOn(run)}`,
		});
	}
	return container;
}
