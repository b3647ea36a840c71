/**
 * `swarm.update`: a swarm service's networks (with their aliases) set in one spec update, as
 * `docker service update --network-add` does, in the order given; the next service waits until
 * this one's tasks run the new spec and are healthy. Its inverse sets `before` again.
 */
import type {Discovered, SwarmAttachment} from '../domain.js';
import {swarmServiceNamed} from './picture.js';
import type {Kind} from './kind.js';

export type SwarmUpdate = {
	kind: 'swarm.update';
	/** The service's full name (`media_traefik`). */
	service: string;
	before: SwarmAttachment[];
	after: SwarmAttachment[];
	order: 'start-first' | 'stop-first';
	/** Why that order: the plan says it. */
	orderReason: string;
};

export const swarmUpdate: Kind<SwarmUpdate> = {
	inverse: (action) => ({...action, before: action.after, after: action.before}),
	describe: (action) => {
		const names = (list: SwarmAttachment[]) => list.map((item) => item.network);
		const added = names(action.after).filter((network) => !names(action.before).includes(network));
		const removed = names(action.before).filter((network) => !names(action.after).includes(network));
		return `update swarm service ${action.service}: ${[...added.map((network) => `+ ${network}`), ...removed.map((network) => `- ${network}`)].join(', ')} (${action.order}: ${action.orderReason})`;
	},
	simulate: updateSwarmService,
	sign: '+',
	concurrencyKey: () => undefined,
	rollbackPhase: 'live',
};

/** The service's spec gets `after`; its tasks on this engine leave what it dropped and join what it added. */
function updateSwarmService(picture: Discovered, action: SwarmUpdate): void {
	const entry = swarmServiceNamed(picture, action.service);
	if (!entry) return;
	const [short, service] = entry;
	const before = action.before.map((item) => item.network);
	picture.swarm?.set(short, {...service, networks: action.after.map((item) => ({...item, aliases: [...item.aliases]}))});
	const names = action.after.map((item) => item.network);
	for (const container of picture.containers.get(short) ?? []) {
		const kept = container.networks.filter((network) => !before.includes(network) || names.includes(network));
		container.networks = [...kept, ...names.filter((network) => !kept.includes(network))];
	}
}
