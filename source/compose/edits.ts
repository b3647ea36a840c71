/**
 * Comment-preserving edits to a compose project. Each operation changes cloned yaml
 * Documents (the loaded model stays as read); `changes()` returns the new text of every
 * touched file with the smallest diff we can make. Where a shape cannot be edited safely
 * (an anchor reused elsewhere, ports only inherited through a merge) the operation throws
 * a NetmigrateError naming the place and changes nothing.
 */
import {readFileSync, statSync} from 'node:fs';
import {isAlias, isMap, isScalar, isSeq, Pair, Scalar, visit, YAMLMap, YAMLSeq, type Document, type Node} from 'yaml';
import {NetmigrateError} from '../errors.js';
import {contains, parseCidr} from '../plan/subnets.js';
import {parseEnvFile, setEnvValue, type EnvFile} from './envfile.js';
import {soleVariable} from './interpolate.js';
import {publishedPort} from './ports.js';
import {whereOf, type ComposeFile, type ComposeModel, type ServiceModel} from './project.js';
import {renderEdited} from './text.js';

export type FileChange = {
	path: string;
	kind: 'compose' | 'env';
	before: string;
	after: string;
	mode: number;
	/** False when the minimal patch failed and the file was re-serialised whole. */
	minimal: boolean;
};

export type AllowListChange = {service: string; variable: string; file: string; before: string; after: string; added: string[]};

export class ComposeEditor {
	/** Why the edits look the way they do (an inherited list written out, a fallback), for the dry run. */
	readonly notes: string[] = [];
	private readonly documents = new Map<string, Document>();
	private readonly envTexts = new Map<string, {file: EnvFile; text: string; mode: number}>();

	constructor(private readonly model: ComposeModel) {}

	/** Joins `service` to `networks` (engine names), keeping every network it is on now. */
	addNetworks(serviceName: string, networks: string[]): void {
		const service = this.service(serviceName);
		refuseSharedNamespace(service, 'attach it to networks');
		const document = this.document(service.file);
		const node = this.serviceNode(document, service);
		const list = this.ownNetworks(document, node, service);
		const present = new Set(service.networkKeys.map((key) => this.networkName(service.file, key)));
		for (const network of networks) {
			if (present.has(network)) continue;
			const key = this.declareExternal(service.file, network);
			if (isSeq(list)) list.add(document.createNode(key));
			else appendEmptyKey(document, list, key);
			present.add(network);
		}
	}

	/** Leaves `networks` (engine names); refuses to leave a service with none. */
	removeNetworks(serviceName: string, networks: string[]): void {
		const service = this.service(serviceName);
		refuseSharedNamespace(service, 'detach it');
		const document = this.document(service.file);
		const node = this.serviceNode(document, service);
		const list = this.ownNetworks(document, node, service);
		const keys = new Set(networks.flatMap((network) => this.keysFor(service.file, network)));
		const remaining = service.networkKeys.filter((key) => !keys.has(key));
		if (remaining.length === 0) {
			throw new NetmigrateError(`service ${service.name} would be left on no network`, {
				where: whereOf(this.file(service.file), node),
				hint: 'attach it to a new network in an earlier iteration before detaching it from the last one',
				code: 'bad-input',
			});
		}
		if (isSeq(list)) list.items = list.items.filter((item) => !keys.has(String(isScalar(item) ? item.value : item)));
		else list.items = list.items.filter((pair) => !keys.has(String(isScalar(pair.key) ? pair.key.value : pair.key)));
	}

	/**
	 * Adds subnets to an allow-list variable (`KEY=a,b` in a list, `KEY: a,b` in a map, or
	 * `${KEY}` resolved in `.env`/`env_file`), deduplicated, order kept; a subnet already
	 * covered by a wider entry is not added again.
	 */
	ensureAllowList(serviceName: string, variable: string, subnets: string[]): AllowListChange {
		const service = this.service(serviceName);
		const document = this.document(service.file);
		const node = this.serviceNode(document, service);
		const entry = service.environment.find((candidate) => candidate.key === variable);
		if (entry) {
			const environment = this.ownEnvironment(document, node, service);
			const merged = this.rawServiceValue(document, service, 'environment');
			const inherited = merged && typeof merged === 'object' && !Array.isArray(merged) ? (merged as Record<string, unknown>)[variable] : undefined;
			const located = locateEnvironmentValue(environment, variable, inherited === undefined || inherited === null ? undefined : String(inherited));
			const raw = located.get();
			const reference = soleVariable(raw);
			if (reference) return this.ensureInEnvFile(service, variable, this.envFileDefining(service, reference, node), reference, subnets);
			const after = mergeAllowList(raw, subnets);
			located.set(after);
			return {service: service.name, variable, file: service.file, before: raw, after, added: addedEntries(raw, after)};
		}
		for (const envFile of service.envFiles) {
			const parsed = this.envFile(envFile);
			if (parsed?.entries.has(variable)) return this.ensureInEnvFile(service, variable, envFile, variable, subnets);
		}
		throw new NetmigrateError(`service ${service.name} does not set ${variable}`, {
			where: whereOf(this.file(service.file), node),
			hint: `add ${variable} to its environment (the current allow-list) or fix the variable name in netmigrate.yml`,
			code: 'bad-input',
		});
	}

	/** Stops publishing the given host ports (short `127.0.0.1:8096:8096` or long `published:` syntax). */
	removePorts(serviceName: string, hostPorts: string[]): void {
		const service = this.service(serviceName);
		const document = this.document(service.file);
		const node = this.serviceNode(document, service);
		const ports = node.get('ports', true);
		const where = whereOf(this.file(service.file), ports ?? node);
		if (!isSeq(ports)) {
			const inherited = Array.isArray(service.config.ports);
			throw new NetmigrateError(
				inherited ? `the ports of ${service.name} are inherited through a merge key; removing them would change every service sharing it` : `service ${service.name} publishes no ports`,
				{where, hint: inherited ? 'write `ports:` on the service itself first' : 'remove it from `unpublish` in netmigrate.yml', code: 'bad-input'},
			);
		}
		const wanted = new Set(hostPorts.map(String));
		const found = new Set<string>();
		ports.items = ports.items.filter((item) => {
			const published = publishedPort((item as Node).toJSON());
			if (published !== undefined && wanted.has(published)) {
				found.add(published);
				return false;
			}
			return true;
		});
		const missing = [...wanted].filter((port) => !found.has(port));
		if (missing.length > 0) {
			throw new NetmigrateError(`service ${service.name} does not publish host port ${missing.join(', ')}`, {
				where,
				hint: `it publishes ${ports.items.map((item) => publishedPort((item as Node).toJSON()) ?? '?').join(', ') || 'nothing else'}; fix \`unpublish\` in netmigrate.yml`,
				code: 'bad-input',
			});
		}
		if (ports.items.length === 0) node.delete('ports');
	}

	/** The new text of every file the edits touched. */
	changes(): FileChange[] {
		const changes: FileChange[] = [];
		for (const [file, document] of this.documents) {
			const compose = this.file(file);
			const rendered = renderEdited(compose.text, document);
			if (rendered.text === compose.text) continue;
			if (!rendered.minimal) this.notes.push(`${file}: the minimal patch did not apply cleanly; the file was rewritten whole (comments kept, spacing may change)`);
			changes.push({path: file, kind: 'compose', before: compose.text, after: rendered.text, mode: compose.mode, minimal: rendered.minimal});
		}
		for (const [file, edited] of this.envTexts) {
			if (edited.text !== edited.file.text) changes.push({path: file, kind: 'env', before: edited.file.text, after: edited.text, mode: edited.mode, minimal: true});
		}
		return changes;
	}

	private ensureInEnvFile(service: ServiceModel, variable: string, envPath: string, key: string, subnets: string[]): AllowListChange {
		const parsed = this.envFile(envPath) as EnvFile;
		const current = parsed.entries.get(key)?.value ?? '';
		const after = mergeAllowList(current, subnets);
		const edited = this.envTexts.get(envPath) as {file: EnvFile; text: string; mode: number};
		edited.text = setEnvValue(parseEnvFile(envPath, edited.text), key, after);
		return {service: service.name, variable, file: envPath, before: current, after, added: addedEntries(current, after)};
	}

	private envFileDefining(service: ServiceModel, variable: string, node: Node): string {
		const env = this.model.env;
		if (env?.entries.has(variable)) return env.path;
		throw new NetmigrateError(`${service.name}'s allow-list comes from \${${variable}}, but ${this.model.root}/.env does not set ${variable}`, {
			where: whereOf(this.file(service.file), node),
			hint: `add ${variable}=<current subnets> to .env so netmigrate can extend it (compose would otherwise use an empty value)`,
			code: 'bad-input',
		});
	}

	private envFile(envPath: string): EnvFile | undefined {
		const known = this.envTexts.get(envPath);
		if (known) return known.file;
		const file = envPath === this.model.env?.path ? this.model.env : readEnvFile(envPath);
		if (!file) return undefined;
		this.envTexts.set(envPath, {file, text: file.text, mode: fileMode(envPath)});
		return file;
	}

	/** The service's own `networks:` node, writing one out where it was implicit, inherited or an alias. */
	private ownNetworks(document: Document, node: YAMLMap, service: ServiceModel): YAMLSeq | YAMLMap {
		const own = node.get('networks', true) as Node | undefined;
		if (isSeq(own) || isMap(own)) {
			this.refuseSharedAnchor(document, own, keyNode(node, 'networks'), service, 'networks');
			return own;
		}
		const inherited = this.rawServiceValue(document, service, 'networks');
		const origin = isAlias(own) ? `the alias *${own.source}` : inherited === undefined ? 'compose\'s implicit default network' : 'a merge key (<<)';
		const copy = document.createNode(inherited ?? service.networkKeys) as YAMLSeq | YAMLMap;
		node.set('networks', copy);
		this.notes.push(`${service.name}: its networks came from ${origin}; they are now written on the service so nothing else changes`);
		return copy;
	}

	private ownEnvironment(document: Document, node: YAMLMap, service: ServiceModel): YAMLSeq | YAMLMap {
		const own = node.get('environment', true) as Node | undefined;
		if (isSeq(own) || isMap(own)) {
			this.refuseSharedAnchor(document, own, keyNode(node, 'environment'), service, 'environment');
			return own;
		}
		const copy = document.createNode(this.rawServiceValue(document, service, 'environment')) as YAMLSeq | YAMLMap;
		node.set('environment', copy);
		this.notes.push(`${service.name}: its environment came from an anchor or merge; it is now written on the service so the services sharing it keep theirs`);
		return copy;
	}

	/** Editing an anchored node changes every alias of it, i.e. other services. */
	private refuseSharedAnchor(document: Document, node: YAMLSeq | YAMLMap, key: Node | undefined, service: ServiceModel, what: string): void {
		const anchor = node.anchor;
		if (!anchor) return;
		let reused = false;
		visit(document, {
			Alias(_key, alias) {
				if (alias.source === anchor) reused = true;
			},
		});
		if (!reused) return;
		throw new NetmigrateError(`the ${what} of ${service.name} are the anchor &${anchor}, reused by other services; changing them here would change those too`, {
			where: whereOf(this.file(service.file), key ?? node),
			hint: `move &${anchor} to an \`x-\` key and refer to it from ${service.name} with an alias, or give ${service.name} its own ${what}`,
			code: 'bad-input',
		});
	}

	private rawServiceValue(document: Document, service: ServiceModel, key: string): unknown {
		const services = document.toJS({maxAliasCount: -1}) as {services?: Record<string, Record<string, unknown>>};
		return services.services?.[service.name]?.[key];
	}

	/** Declares `network` external at the top level of `file` (compose refuses pre-created networks otherwise). Returns its key. */
	private declareExternal(file: string, network: string): string {
		const existing = this.keysFor(file, network)[0];
		const declarations = this.model.networks.get(file);
		if (existing !== undefined) {
			const declaration = declarations?.get(existing);
			if (declaration && !declaration.external && existing !== 'default') {
				const document = this.document(file);
				throw new NetmigrateError(`network ${network} is declared in this file as managed by compose, but netmigrate creates it outside compose`, {
					where: whereOf(this.file(file), keyNode(document.get('networks', true) as YAMLMap, existing)),
					hint: `declare it \`external: true\` (with \`name: ${network}\`), or let netmigrate do it by removing this declaration`,
					code: 'bad-input',
				});
			}
			return existing;
		}
		const document = this.document(file);
		let top = document.get('networks', true) as Node | undefined;
		if (!isMap(top)) {
			top = document.createNode({}) as YAMLMap;
			document.set('networks', top);
		}
		const map = top as YAMLMap;
		if (!map.has(network)) {
			map.add(new Pair(document.createNode(network), document.createNode({name: network, external: true})));
		}
		return network;
	}

	/** Keys of `file`'s top-level networks that resolve to the engine name `network`, or the name itself if undeclared. */
	private keysFor(file: string, network: string): string[] {
		const keys: string[] = [];
		for (const [key, declaration] of this.model.networks.get(file) ?? []) if (declaration.name === network || key === network) keys.push(key);
		const document = this.documents.get(file);
		const added = document?.getIn(['networks', network]);
		if (keys.length === 0 && added !== undefined) keys.push(network);
		if (keys.length === 0 && network.endsWith('_default') && network === `${this.model.projectName}_default`) keys.push('default');
		return keys;
	}

	private networkName(file: string, key: string): string {
		const declared = this.model.networks.get(file)?.get(key);
		if (declared) return declared.name;
		return key === 'default' ? `${this.model.projectName}_default` : key;
	}

	private service(name: string): ServiceModel {
		const service = this.model.services.get(name);
		if (!service) throw new NetmigrateError(`no service named ${name} in the compose project`, {code: 'bad-input', hint: `known services: ${[...this.model.services.keys()].join(', ')}`});
		return service;
	}

	private serviceNode(document: Document, service: ServiceModel): YAMLMap {
		return document.getIn(['services', service.name], true) as YAMLMap;
	}

	private document(file: string): Document {
		let document = this.documents.get(file);
		if (!document) {
			document = this.file(file).document.clone();
			this.documents.set(file, document);
		}
		return document;
	}

	private file(file: string): ComposeFile {
		return this.model.files.get(file) as ComposeFile;
	}
}

/** The key node of `key` in a map, for messages that point at the line the operator wrote. */
function keyNode(map: YAMLMap | undefined, key: string): Node | undefined {
	const pair = map?.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === key);
	return (pair?.key ?? undefined) as Node | undefined;
}

function refuseSharedNamespace(service: ServiceModel, doing: string): void {
	const owner = service.namespaceOf ?? service.namespaceContainer;
	if (owner === undefined && service.networkModeOther === undefined) return;
	throw new NetmigrateError(
		owner
			? `service ${service.name} has no networks of its own: it shares ${owner}'s network namespace (network_mode: ${service.namespaceOf ? 'service' : 'container'}:${owner})`
			: `service ${service.name} uses network_mode: ${service.networkModeOther}, which has no networks to change`,
		{where: {service: service.name}, hint: owner ? `${doing} through ${owner} instead; ${service.name} follows it` : 'leave it out of this iteration', code: 'bad-input'},
	);
}

/**
 * Adds `key:` (no value) to a map. A blank line after a map's last empty value is kept by
 * the yaml library as that value's `spaceBefore`; it moves to the new last entry so the
 * blank line stays after the map instead of splitting it.
 */
function appendEmptyKey(document: Document, map: YAMLMap, key: string): void {
	const last = map.items.at(-1)?.value;
	const carried = isScalar(last) && last.value === null && last.spaceBefore === true;
	const value = new Scalar(null);
	if (carried) {
		last.spaceBefore = false;
		value.spaceBefore = true;
	}
	map.add(new Pair(document.createNode(key), value));
}

type LocatedValue = {get: () => string; set: (value: string) => void};

function locateEnvironmentValue(environment: YAMLSeq | YAMLMap, variable: string, inherited: string | undefined): LocatedValue {
	if (isSeq(environment)) {
		const item = environment.items.find((candidate) => isScalar(candidate) && String(candidate.value).startsWith(`${variable}=`));
		if (isScalar(item)) {
			return {
				get: () => String(item.value).slice(variable.length + 1),
				set: (value) => {
					item.value = `${variable}=${value}`;
				},
			};
		}
		throw new NetmigrateError(`${variable} is listed without a value, so compose takes it from the shell netmigrate cannot edit`, {
			hint: `give it its value in the compose file (\`${variable}=<subnets>\`) or in .env (\`${variable}: \${${variable}}\`)`,
			code: 'bad-input',
		});
	}
	const pair = environment.items.find((candidate) => String(isScalar(candidate.key) ? candidate.key.value : candidate.key) === variable);
	if (pair && isScalar(pair.value)) {
		const scalar = pair.value;
		return {
			get: () => String(scalar.value ?? ''),
			set: (value) => {
				scalar.value = value;
			},
		};
	}
	// Inherited through `<<:` in a map: an own key overrides it for this service only.
	const own = new Scalar(inherited ?? '');
	return {
		get: () => inherited ?? '',
		set: (value) => {
			own.value = value;
			environment.add(new Pair(new Scalar(variable), own));
		},
	};
}

/** `a,b` + [c, a] → `a,b,c`; an entry already covered by a wider range is not added. */
export function mergeAllowList(current: string, ensure: string[]): string {
	const separator = /,\s/.test(current) ? ', ' : ',';
	const entries = current.split(',').map((entry) => entry.trim()).filter(Boolean);
	for (const wanted of ensure) {
		const range = parseCidr(wanted);
		const covered = entries.some((entry) => {
			if (entry === wanted) return true;
			const existing = parseCidr(entry);
			return existing !== undefined && range !== undefined && contains(existing, range);
		});
		if (!covered) entries.push(wanted);
	}
	return entries.join(separator);
}

function addedEntries(before: string, after: string): string[] {
	const old = new Set(before.split(',').map((entry) => entry.trim()));
	return after.split(',').map((entry) => entry.trim()).filter((entry) => entry && !old.has(entry));
}


function readEnvFile(file: string): EnvFile | undefined {
	try {
		return parseEnvFile(file, readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

function fileMode(file: string): number {
	try {
		return statSync(file).mode & 0o7777;
	} catch {
		return 0o644;
	}
}
