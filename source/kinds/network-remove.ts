/**
 * `network.remove`: removes a network netmigrate created (the inverse of a create); refused while
 * containers are attached or when netmigrate did not create it (network-remove.apply.ts). Last in a
 * rollback: only an empty network can go.
 */
import type {NetworkCreate} from './network-create.js';
import type {Kind} from './kind.js';

export type NetworkRemove = Omit<NetworkCreate, 'kind'> & {kind: 'network.remove'};

export const networkRemove: Kind<NetworkRemove, NetworkCreate> = {
	inverse: ({kind: _kind, ...rest}) => ({kind: 'network.create', ...rest}),
	describe: (action) => `remove network ${action.network} (${action.subnet})`,
	simulate: (picture, action) => {
		picture.networks.delete(action.network);
	},
	sign: '-',
	concurrencyKey: (action) => `network:${action.network}`,
	rollbackPhase: 'removals',
};
