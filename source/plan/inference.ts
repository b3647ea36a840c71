/**
 * Classifying what the catalog does not know, from what the stack itself says (issue 23: on
 * the largest public stacks tried, `init` left up to half the services on the legacy network).
 * Three rules, each tried only on a service the catalog and `--tiers` left unclassified, and
 * each writing its reason into the draft's comments:
 *
 * - routed by the reverse proxy (Traefik or caddy-docker-proxy labels, nginx-proxy's
 *   `VIRTUAL_HOST`): people open it in a browser, so it is user-facing (frontend);
 * - published on a loopback address only (`127.0.0.1:9999:8080`): reached from the host alone,
 *   so it is the operator's (mgmt);
 * - a database or cache follows the services that use it (`tiering.ts` placeDataStores): by
 *   `depends_on`, and here also by an environment variable that names it as a host
 *   (`DB_HOST=bookstack-db`, `PAPERLESS_REDIS=redis://paperless-broker:6379`).
 */
import type {ServiceModel} from '../compose/project.js';
import {loopbackOnly, portEntries} from '../compose/ports.js';
import type {Placement} from './draft-words.js';
import {routedByCaddy, routedByNginxProxy, routedByTraefik} from './routing.js';

/** How a proxy is told to route the service, in the operator's words; undefined when none is. */
export function proxyRouting(service: ServiceModel): string | undefined {
	if (routedByTraefik(service.labels)) return 'Traefik labels';
	if (routedByCaddy(service.labels)) return 'caddy labels';
	if (routedByNginxProxy(service)) return "nginx-proxy's VIRTUAL_HOST";
	return undefined;
}

/** The loopback address every published port of the service binds, when all of them bind one. */
export function loopbackOnlyAddress(service: ServiceModel): string | undefined {
	const published = portEntries(service.config.ports);
	if (published.length === 0 || !published.every(loopbackOnly)) return undefined;
	return [...new Set(published.map((entry) => entry.hostIp as string))].join(', ');
}

/** Gives an unclassified service a tier by the first rule the stack satisfies. */
export function classifyFromStack(placements: Map<string, Placement>): void {
	for (const placement of placements.values()) {
		if (placement.status !== 'unclassified' || placement.owner !== placement.service.name) continue;
		const routed = proxyRouting(placement.service);
		if (routed) {
			Object.assign(placement, {
				tiers: ['frontend'],
				status: 'assigned',
				why: `routed by the reverse proxy (${routed}): user-facing — the stack says so, the image is not in the catalog`,
			});
			continue;
		}
		const loopback = loopbackOnlyAddress(placement.service);
		if (loopback) {
			Object.assign(placement, {
				tiers: ['mgmt'],
				status: 'assigned',
				why: `published on ${loopback} only: reached from the host alone, so it is the operator's — the image is not in the catalog`,
			});
		}
	}
}

/**
 * The host a variable's value names: the host of a URL (`redis://:secret@cache:6379/0` → cache),
 * or of `host[:port]`; undefined for anything else (a path, a sentence, a list of flags).
 */
export function namedHost(value: string): string | undefined {
	const text = value.trim();
	const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(text);
	if (url) return url[1]?.toLowerCase();
	const plain = /^([a-z0-9][a-z0-9_.-]*)(?::\d+)?$/i.exec(text);
	return plain?.[1]?.toLowerCase();
}

/** Which variable of `user` names `target` (by service or container name) as a host; its key only, never its value. */
export function variableNaming(user: ServiceModel, target: ServiceModel): string | undefined {
	const names = new Set(
		[target.name, target.config.container_name]
			.filter((name): name is string => typeof name === 'string')
			.map((name) => name.toLowerCase()),
	);
	for (const item of user.environment) {
		if (!item.value) continue;
		if (item.value.split(',').some((part) => names.has(namedHost(part) ?? ''))) return item.key;
	}
	return undefined;
}

/** The services that use a data store, each with how the stack says so. */
export function dataUsers(
	store: Placement,
	placements: Map<string, Placement>,
	ownerOf: (name: string) => string,
): Array<{user: Placement; how: string}> {
	const users: Array<{user: Placement; how: string}> = [];
	for (const candidate of placements.values()) {
		if (candidate === store) continue;
		if (candidate.service.dependsOn.some((name) => ownerOf(name) === store.service.name)) {
			users.push({user: candidate, how: 'depends_on'});
			continue;
		}
		const variable = variableNaming(candidate.service, store.service);
		if (variable) users.push({user: candidate, how: `its ${variable} names it`});
	}
	return users;
}
