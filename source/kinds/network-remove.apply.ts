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
		const attached = await tasksLeft(engine, action.network, existing.members);
		if (attached.length > 0) {
			throw new NetmigrateError(
				`network ${action.network} still has containers attached: ${attached.map((member) => member.name).join(', ')}`,
				{
					where: {network: action.network},
					hint: `they joined it outside this iteration; disconnect them (\`docker network disconnect\`), ${wayOn(run)}`,
				},
			);
		}
		if (existing.members.length > 0) await removeOnceLoadBalancerLeft(engine, action.network);
		else await engine.removeNetwork(action.network);
		return true;
	},
};

type Member = {id: string; name: string};

/** A swarm task's container (`<service>.<slot or node>.<task id>`): an old task of a service that left the network, being shut down. */
const swarmTask = /\.[a-z0-9]{25}$/;

/**
 * The members attached to `network` that are someone's containers: never the overlay's own
 * load-balancer endpoint. Old swarm tasks are waited on for up to 30 s: a start-first update
 * returns once the new task runs, while the old one, on another node, is still shutting down
 * (CI: "frontend-net still has containers attached: media_traefik.1.…" failed a two-node rollback).
 */
async function tasksLeft(engine: Engine, network: string, members: Member[]): Promise<Member[]> {
	const deadline = Date.now() + 30_000;
	for (let now = members; ; ) {
		const attached = now.filter((member) => member.id !== `lb-${network}` && member.name !== `${network}-endpoint`);
		if (attached.length === 0 || !attached.every((member) => swarmTask.test(member.name)) || Date.now() >= deadline) return attached;
		await new Promise((resolve) => setTimeout(resolve, 1000));
		now = (await engine.inspectNetwork(network))?.members ?? [];
	}
}

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
