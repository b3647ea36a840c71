/**
 * Applying `network.connect` (source/kinds/network-connect.ts): the container must exist and run
 * (netmigrate connects running containers); one already on the network is done.
 */
import type {RunKind} from '../domain.js';
import type {Engine} from '../engine/docker.js';
import {NetmigrateError, wayOn} from '../errors.js';
import {addressToKeep, connectKeeping} from '../engine/keep-addresses.js';
import type {Applier} from './applier.js';
import type {NetworkConnect} from './network-connect.js';

export const applyNetworkConnect: Applier<NetworkConnect> = {
	apply: async (action, {engine, run, keepAddresses, emit}) => {
		const container = await requireContainer(engine, action.container, run);
		if (container.networks.some((endpoint) => endpoint.network === action.network)) return false;
		const options = {
			aliases: action.aliases,
			...(action.ipv4 ? {ipv4: action.ipv4} : {}),
			...(action.ipv6 ? {ipv6: action.ipv6} : {}),
			...(action.gwPriority === undefined ? {} : {gwPriority: action.gwPriority}),
		};
		// A rollback's reconnect (of a detach) asks for the address the container had there, where the stack pins none.
		const addresses = action.ipv4 ? undefined : keepAddresses?.();
		const keep = addresses ? addressToKeep(container, {network: action.network}, addresses) : undefined;
		if (keep)
			await connectKeeping(engine, action.network, action.container, options, keep, (message) =>
				emit?.({type: 'log', level: 'warn', message}),
			);
		else await engine.connect(action.network, action.container, options);
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
