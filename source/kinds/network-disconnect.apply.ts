/**
 * Applying `network.disconnect` (source/kinds/network-disconnect.ts): a container already off the
 * network (or gone) is done. Before it acts, an apply records the endpoint as configured so the
 * inverse reconnects exactly.
 */
import {endpointRecord} from '../membership.js';
import type {Applier} from './applier.js';
import type {NetworkDisconnect} from './network-disconnect.js';

export const applyNetworkDisconnect: Applier<NetworkDisconnect> = {
	apply: async (action, {engine}) => {
		const container = await engine.inspectContainer(action.container);
		if (!container || !container.networks.some((endpoint) => endpoint.network === action.network)) return false;
		await engine.disconnect(action.network, action.container);
		return true;
	},
	/**
	 * The endpoint it is about to remove, read now — the aliases and pinned addresses it was
	 * configured with. Only an apply's: a rollback's disconnects are never undone. A container
	 * already off the network (a replay after a crash) has nothing to read; the first intent's
	 * record stands (`replayed`, in network-disconnect.ts).
	 */
	record: async (action, {engine, run}) => {
		if (action.endpoint || run !== 'apply') return action;
		const container = await engine.inspectContainer(action.container);
		const endpoint = container?.networks.find((item) => item.network === action.network);
		if (!container || !endpoint) return action;
		const {network: _network, ...configured} = endpointRecord(endpoint, container.id);
		// Engine 28 reports every endpoint's GwPriority; 0 is the default a plain connect gets anyway.
		return {...action, endpoint: {...configured, ...(endpoint.gwPriority ? {gwPriority: endpoint.gwPriority} : {})}};
	},
};
