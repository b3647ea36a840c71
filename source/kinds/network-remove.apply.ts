/**
 * Applying `network.remove` (source/kinds/network-remove.ts): only a network netmigrate created
 * (its label says so), and only once no container is attached; a network already gone is done.
 */
import {managedLabel, managedValue} from '../domain.js';
import type {Engine} from '../engine/docker.js';
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
		// A swarm overlay's own load-balancer endpoint (`lb-<network>`, named `<network>-endpoint`) is
		// no one's container: the node drops it once the last task has left, on a loaded host a few
		// seconds after the service updates return (CI: "frontend-net-endpoint" failed a rollback).
		const attached = existing.members.filter(
			(member) => member.id !== `lb-${action.network}` && member.name !== `${action.network}-endpoint`,
		);
		if (attached.length > 0) {
			throw new NetmigrateError(
				`network ${action.network} still has containers attached: ${attached.map((member) => member.name).join(', ')}`,
				{
					where: {network: action.network},
					hint: `they joined it outside this iteration; disconnect them (\`docker network disconnect\`), ${wayOn(run)}`,
				},
			);
		}
		if (attached.length < existing.members.length) await removeOnceLoadBalancerLeft(engine, action.network);
		else await engine.removeNetwork(action.network);
		return true;
	},
};

/** Removes the overlay, tried again for up to 30 s while the engine still holds its load-balancer endpoint. */
async function removeOnceLoadBalancerLeft(
	engine: Parameters<Applier<NetworkRemove>['apply']>[1]['engine'],
	network: string,
): Promise<void> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		try {
			await engine.removeNetwork(network);
			return;
		} catch (error) {
			if (Date.now() >= deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}
}
