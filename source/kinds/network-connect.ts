/**
 * `network.connect`: a running container joins a network under its aliases, optionally at pinned
 * addresses and with a gateway priority. Its inverse disconnects it. Connects of one container
 * never run at once (the key), connects of different ones do.
 */
import {containersNamed} from './picture.js';
import type {Kind} from './kind.js';

export type NetworkConnect = {
	kind: 'network.connect';
	network: string;
	container: string;
	service: string;
	aliases: string[];
	/** Addresses to pin (IPAMConfig): a rollback reconnecting an endpoint that had them. */
	ipv4?: string;
	ipv6?: string;
	/** -1 on Engine 28+: the new network never takes the container's default route (egress stays where it was). */
	gwPriority?: number;
};

export const networkConnect: Kind<NetworkConnect, Omit<NetworkConnect, 'kind'> & {kind: 'network.disconnect'}> = {
	inverse: ({kind: _kind, ...rest}) => ({kind: 'network.disconnect', ...rest}),
	describe: (action) => {
		const addresses = [action.ipv4, action.ipv6].filter(Boolean);
		return `connect ${action.container} to ${action.network} as ${action.aliases.join(', ')}${addresses.length > 0 ? ` at ${addresses.join(', ')}` : ''}`;
	},
	simulate: (picture, action) => {
		// A container the picture does not hold (a dry run from the files alone) is on the networks its files name.
		for (const container of containersNamed(picture, action.service, action.container)) {
			if (!container.networks.includes(action.network)) container.networks.push(action.network);
		}
	},
	sign: '+',
	concurrencyKey: (action) => `container:${action.container}`,
	rollbackPhase: 'live',
};
