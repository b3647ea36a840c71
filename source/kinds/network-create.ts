/**
 * `network.create`: a network netmigrate creates, labelled as its own so a rollback may remove it.
 * Its inverse removes it; applying it (network-create.apply.ts) finds an existing network with the
 * same settings done, and refuses one with other settings.
 */
import type {NetworkSettings} from '../domain.js';
import type {Kind} from './kind.js';

export type NetworkCreate = {kind: 'network.create'; network: string} & NetworkSettings;

export const networkCreate: Kind<NetworkCreate, Omit<NetworkCreate, 'kind'> & {kind: 'network.remove'}> = {
	inverse: ({kind: _kind, ...rest}) => ({kind: 'network.remove', ...rest}),
	describe: (action) =>
		`create network ${action.network} (${action.subnet}${action.gateway ? ` gw ${action.gateway}` : ''}${action.internal ? ', internal' : ''})`,
	simulate: (picture, {kind: _kind, network, ...settings}) => {
		picture.networks.set(network, {name: network, ...settings});
	},
	sign: '+',
	concurrencyKey: (action) => `network:${action.network}`,
	rollbackPhase: 'networks',
};
