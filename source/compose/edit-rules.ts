/**
 * Compose edits that read one file and one service, apart from the editor's bookkeeping
 * (edits.ts): stopping published ports, the network keys a service has in a file, and the
 * refusal for a service that shares another's namespace.
 */
import {isSeq, type Node} from 'yaml';
import {NetmigrateError} from '../errors.js';
import type {EditableFile} from './editable.js';
import {removeItems, removePair} from './nodes.js';
import {interpolatedEntry, publishedPort} from './ports.js';
import type {ComposeModel, ServiceModel} from './project.js';
import type {ComposeData} from './verify.js';

/** Stops publishing the given host ports of `service` in `file`, matched by the value compose sees. */
export function removePublishedPorts(
	file: EditableFile,
	service: ServiceModel,
	hostPorts: string[],
	variables: ComposeModel['variables'],
): void {
	const node = file.serviceNode(service.name);
	const ports = node.get('ports', true);
	if (!isSeq(ports)) {
		const inherited = Array.isArray(service.config.ports);
		throw file.refusal(
			inherited
				? `the ports of ${service.name} are inherited through a merge key; removing them would change every service sharing it`
				: `service ${service.name} publishes no ports`,
			(ports as Node | undefined) ?? node,
			inherited ? 'write `ports:` on the service itself first' : 'remove it from `unpublish` in netmigrate.yml',
		);
	}
	const wanted = new Set(hostPorts.map(String));
	// Matched by the value compose sees (`${PORT_WEB:?err}:8096` is 18096 once interpolated); the text as written is what is removed.
	const published = ports.items.map((item) => publishedPort(interpolatedEntry((item as Node).toJSON(), variables)));
	const missing = [...wanted].filter((port) => !published.includes(port));
	if (missing.length > 0) {
		throw file.refusal(
			`service ${service.name} does not publish host port ${missing.join(', ')}`,
			ports,
			`it publishes ${published.map((port) => port ?? '?').join(', ') || 'nothing'}; fix \`unpublish\` in netmigrate.yml`,
		);
	}
	const leaving = new Set(published.flatMap((port, index) => (port !== undefined && wanted.has(port) ? [index] : [])));
	const all = leaving.size === ports.items.length;
	const what = `remove host port ${[...wanted].join(', ')} from ${service.name}`;
	const edits = file.attempt(what, 'remove it by hand, then run the plan again', () =>
		all ? removePair(file.text, node, 'ports') : removeItems(file.text, ports, leaving),
	);
	file.apply(
		edits,
		(data) => {
			const own = data.services?.[service.name] as Record<string, unknown>;
			if (all) delete own.ports;
			else own.ports = (own.ports as unknown[]).filter((_port, index) => !leaving.has(index));
		},
		what,
	);
}

/** The compose keys of the service's networks as the file reads now (`default` when it has none and no network_mode). */
export function networkKeysOf(file: EditableFile, service: string): string[] {
	return networkKeysIn(file.data(), service);
}

export function networkKeysIn(data: ComposeData, service: string): string[] {
	const config = data.services?.[service] ?? {};
	const networks = config.networks;
	if (Array.isArray(networks)) return networks.map(String);
	if (networks && typeof networks === 'object') return Object.keys(networks);
	return config.network_mode ? [] : ['default'];
}

export function refuseSharedNamespace(service: ServiceModel, doing: string): void {
	const owner = service.namespaceOf ?? service.namespaceContainer;
	if (owner === undefined && service.networkModeOther === undefined) return;
	throw new NetmigrateError(
		owner
			? `service ${service.name} has no networks of its own: it shares ${owner}'s network namespace (network_mode: ${service.namespaceOf ? 'service' : 'container'}:${owner})`
			: `service ${service.name} uses network_mode: ${service.networkModeOther}, which has no networks to change`,
		{
			where: {service: service.name},
			hint: owner ? `${doing} through ${owner} instead; ${service.name} follows it` : 'leave it out of this iteration',
			code: 'bad-input',
		},
	);
}
