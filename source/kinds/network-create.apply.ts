/**
 * Applying `network.create` (source/kinds/network-create.ts): an existing network with the same
 * subnet and internal flag is the work already done; one with other settings is refused, since
 * neither can change in place.
 */
import {NetmigrateError} from '../errors.js';
import type {Applier} from './applier.js';
import type {NetworkCreate} from './network-create.js';

export const applyNetworkCreate: Applier<NetworkCreate> = {
	apply: async (action, {engine}) => {
		const existing = await engine.inspectNetwork(action.network);
		if (existing) {
			const subnet = existing.subnets[0]?.subnet;
			if (subnet !== action.subnet || existing.internal !== action.internal) {
				throw new NetmigrateError(
					`network ${action.network} exists with other settings (${subnet ?? 'no subnet'}, internal ${existing.internal})`,
					{
						where: {network: action.network},
						hint: 'a subnet or internal flag cannot change in place; rename the planned network or remove the existing one once unused',
					},
				);
			}
			return false;
		}
		const {kind: _kind, network: name, ...settings} = action;
		await engine.createNetwork({name, ...settings});
		return true;
	},
};
