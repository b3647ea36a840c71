/**
 * `swarm.env`: one variable of a swarm service's environment set in one spec update, as `docker
 * service update --env-add` does (an allow-list on a swarm: the stack file gets the same value
 * beside it). The variable keeps its place among the others; absent `before` or `after`: the
 * variable is not set, so the inverse of adding one removes it. Values are shown: only allow-lists
 * are edited.
 */
import {withEnvValue} from '../domain.js';
import {swarmServiceNamed} from './picture.js';
import type {Kind} from './kind.js';

export type SwarmEnv = {
	kind: 'swarm.env';
	/** The service's full name (`media_jellyfin`). */
	service: string;
	variable: string;
	before?: string;
	after?: string;
	order: 'start-first' | 'stop-first';
	orderReason: string;
};

export const swarmEnv: Kind<SwarmEnv> = {
	inverse: ({before, after, ...rest}) => ({
		...rest,
		...(after === undefined ? {} : {before: after}),
		...(before === undefined ? {} : {after: before}),
	}),
	describe: (action) => `update swarm service ${action.service}: ${envChange(action)} (${action.order}: ${action.orderReason})`,
	simulate: (picture, action) => {
		const entry = swarmServiceNamed(picture, action.service);
		if (entry) picture.swarm?.set(entry[0], {...entry[1], env: withEnvValue(entry[1].env, action.variable, action.after)});
	},
	sign: '+',
	concurrencyKey: () => undefined,
	rollbackPhase: 'live',
};

/** `TRUSTED_PROXIES += 10.231.11.0/24`: the entries of a comma-separated list added and removed, else the new value. */
function envChange({variable, before, after}: SwarmEnv): string {
	if (after === undefined) return `${variable} removed`;
	if (before === undefined) return `${variable} = ${after}`;
	const entries = (value: string) =>
		value
			.split(',')
			.map((entry) => entry.trim())
			.filter(Boolean);
	const added = entries(after).filter((entry) => !entries(before).includes(entry));
	const removed = entries(before).filter((entry) => !entries(after).includes(entry));
	const parts = [
		...(added.length > 0 ? [`${variable} += ${added.join(', ')}`] : []),
		...(removed.length > 0 ? [`${variable} -= ${removed.join(', ')}`] : []),
	];
	return parts.length > 0 ? parts.join(', ') : `${variable} = ${after}`;
}
