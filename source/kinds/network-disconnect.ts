/**
 * `network.disconnect`: a container leaves a network. Just before it acts, the executor records the
 * endpoint as configured (network-disconnect.apply.ts `record`), so the inverse reconnects exactly:
 * compose's aliases and the pinned addresses, not only the names the plan knew.
 */
import type {EndpointRecord} from '../domain.js';
import type {NetworkConnect} from './network-connect.js';
import {containersNamed} from './picture.js';
import type {Kind} from './kind.js';

/** The endpoint a disconnect removed, as configured: its aliases, pinned addresses and gateway priority. */
export type RemovedEndpoint = Omit<EndpointRecord, 'network'> & {gwPriority?: number};

export type NetworkDisconnect = Omit<NetworkConnect, 'kind'> & {
	kind: 'network.disconnect';
	/**
	 * The endpoint as it was, read by the executor just before it disconnects and journaled with
	 * the intent, so the rollback reconnects exactly: compose's aliases (the file's `aliases:` too)
	 * and the pinned `ipv4_address`, not only the names the plan knew. Absent in journals written
	 * before it was recorded: those reconnect with `aliases` (the names it was planned with) and
	 * `ipv4`, as they always did.
	 */
	endpoint?: RemovedEndpoint;
};

export const networkDisconnect: Kind<NetworkDisconnect, NetworkConnect> = {
	inverse: reconnect,
	describe: (action) => `disconnect ${action.container} from ${action.network}`,
	simulate: (picture, action) => {
		for (const container of containersNamed(picture, action.service, action.container))
			container.networks = container.networks.filter((network) => network !== action.network);
	},
	sign: '-',
	concurrencyKey: (action) => `container:${action.container}`,
	rollbackPhase: 'live',
	// A disconnect the crash let through finds nothing left to record, so the first intent's record of the endpoint stands.
	replayed: (first, again) => (first.endpoint && !again.endpoint ? {...again, endpoint: first.endpoint} : again),
};

/** A disconnect's inverse: the endpoint as it recorded it, else (an older journal) as it was planned. */
function reconnect(action: NetworkDisconnect): NetworkConnect {
	const {kind: _kind, endpoint, ...rest} = action;
	if (!endpoint) return {kind: 'network.connect', ...rest};
	const {network, container, service} = action;
	return {
		kind: 'network.connect',
		network,
		container,
		service,
		aliases: endpoint.aliases ?? action.aliases,
		...(endpoint.ipv4Address ? {ipv4: endpoint.ipv4Address} : {}),
		...(endpoint.ipv6Address ? {ipv6: endpoint.ipv6Address} : {}),
		...(endpoint.gwPriority === undefined ? {} : {gwPriority: endpoint.gwPriority}),
	};
}
