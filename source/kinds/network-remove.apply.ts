/**
 * Applying `network.remove` (source/kinds/network-remove.ts): only a network netmigrate created
 * (its label says so), and only once no container is attached; a network already gone is done.
 */
import {managedLabel, managedValue} from '../domain.js';
import {NetmigrateError, wayOn} from '../errors.js';
import type {Applier} from './applier.js';
import type {NetworkRemove} from './network-remove.js';

export const applyNetworkRemove: Applier<NetworkRemove> = {
	apply: async (action, {engine, run}) => {
		const existing = await engine.inspectNetwork(action.network);
		if (!existing) return false;
		if (existing.labels[managedLabel] !== managedValue) {
			throw new NetmigrateError(`network ${action.network} was not created by netmigrate; it is left in place`, {
				where: {network: action.network},
			});
		}
		if (existing.members.length > 0) {
			throw new NetmigrateError(
				`network ${action.network} still has containers attached: ${existing.members.map((member) => member.name).join(', ')}`,
				{
					where: {network: action.network},
					hint: `they joined it outside this iteration; disconnect them (\`docker network disconnect\`), ${wayOn(run)}`,
				},
			);
		}
		await engine.removeNetwork(action.network);
		return true;
	},
};
