/**
 * Edits to a compose project, made on the files' text: each operation splices the few
 * lines it changes (see nodes.ts) and keeps them only when the file, read again, differs
 * from before by exactly that change (editable.ts). `changes()` returns the new text of
 * every touched file; every other byte is the byte the operator wrote. Where a shape
 * cannot be edited exactly (an anchor reused elsewhere, ports only inherited through a
 * merge) the operation throws a NetmigrateError naming the place and changes nothing.
 */
import {setLabel} from './labels.js';
import {isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq} from 'yaml';
import {NetmigrateError} from '../errors.js';
import {ensureAllowList, type AllowListChange, type EnvEdits} from './allowlist.js';
import {EditableFile} from './editable.js';
import {networkKeysIn, networkKeysOf, refuseSharedNamespace, removePublishedPorts} from './edit-rules.js';
import type {ComposeData} from './verify.js';
import {appendToMap, appendToSeq, findPair, keyOf, removeItems, removePair} from './nodes.js';
import {ownCollection} from './owned.js';
import type {ComposeModel, ServiceModel} from './project.js';
import {prioritisedData, prioritisedEntries} from './gateway.js';
import {columnOf, insertLinesAfter, scalarText, type TextEdit} from './text.js';

export {mergeAllowList, type AllowListChange} from './allowlist.js';

export type FileChange = {
	path: string;
	kind: 'compose' | 'env';
	before: string;
	after: string;
	mode: number;
};

export class ComposeEditor {
	/** Why the edits look the way they do (an inherited list written out), for the dry run. */
	readonly notes: string[] = [];
	private readonly files = new Map<string, EditableFile>();
	private readonly envEdits: EnvEdits = new Map();

	constructor(private readonly model: ComposeModel) {}

	/**
	 * Joins each service to its networks (engine names), keeping every network it is on now. With
	 * `gwPriority`, each new network is written with that `gw_priority` (see gateway.ts). Per file,
	 * one reading of the text and one verified edit for every service it joins — a 200-service
	 * file costs one check, not 200. Should the check refuse the whole batch, each service is
	 * tried alone, so the refusal names the one.
	 */
	addNetworksToServices(attach: Array<[string, string[]]>, options: {gwPriority?: number} = {}): void {
		const byFile = new Map<string, Array<{service: ServiceModel; networks: string[]}>>();
		for (const [name, networks] of attach) {
			const service = this.service(name);
			refuseSharedNamespace(service, 'attach it to networks');
			byFile.set(service.file, [...(byFile.get(service.file) ?? []), {service, networks}]);
		}
		for (const [path, entries] of byFile) {
			const file = this.file(path);
			try {
				this.joinInFile(file, entries, options.gwPriority);
			} catch (error) {
				if (entries.length === 1 || !(error instanceof NetmigrateError)) throw error;
				for (const entry of entries) this.joinInFile(file, [entry], options.gwPriority);
			}
		}
	}

	private joinInFile(
		file: EditableFile,
		entries: Array<{service: ServiceModel; networks: string[]}>,
		priority: number | undefined,
	): void {
		const data = file.data();
		const wanted = entries
			.map(({service, networks}) => {
				const present = new Set(networkKeysIn(data, service.name).map((key) => this.networkName(service.file, key)));
				return {service, missing: [...new Set(networks)].filter((network) => !present.has(network))};
			})
			.filter((entry) => entry.missing.length > 0);
		if (wanted.length === 0) return;
		// Declarations are checked first: a refusal there must come before anything is written.
		const declarations = new Map<string, {key: string; declare: boolean}>();
		for (const {missing} of wanted)
			for (const network of missing) if (!declarations.has(network)) declarations.set(network, this.declaration(file, network));
		for (const {service} of wanted) ownCollection(file, service.name, 'networks', service.networkKeys, this.notes);
		const joins = wanted.map(({service, missing}) => ({
			service: service.name,
			keys: missing.map((network) => (declarations.get(network) as {key: string}).key),
			list: file.serviceNode(service.name).get('networks', true) as unknown as YAMLMap | YAMLSeq,
		}));
		const declared = [...declarations.values()].filter((declaration) => declaration.declare).map((declaration) => declaration.key);
		const what =
			wanted.length === 1
				? `add ${(wanted[0] as {missing: string[]}).missing.join(', ')} to the networks of ${joins[0]?.service}`
				: `add networks to ${joins.map((join) => join.service).join(', ')}`;
		const edits = file.attempt(what, 'add them by hand, then run the plan again', (): TextEdit[] => [
			...joins.flatMap((join) => this.joinEdits(file, join, priority)),
			// After the entries: when the service ends the file, both insert at its end, in this order.
			...this.declarationEdits(file, declared),
		]);
		file.apply(
			edits,
			(after) => {
				for (const key of declared) after.networks = {...(after.networks ?? {}), [key]: {name: key, external: true}};
				for (const {service, keys, list} of joins) {
					const own = after.services?.[service] as Record<string, unknown>;
					if (priority !== undefined) own.networks = prioritisedData(own.networks, keys, priority);
					else {
						for (const key of keys) {
							if (Array.isArray(own.networks)) own.networks.push(key);
							else (own.networks as Record<string, unknown>)[key] = list.flow ? {} : null;
						}
					}
				}
			},
			what,
		);
	}

	/** The edits adding `keys` to one service's networks list or map, in its own style. */
	private joinEdits(
		file: EditableFile,
		join: {service: string; keys: string[]; list: YAMLMap | YAMLSeq},
		priority: number | undefined,
	): TextEdit[] {
		const {list, keys} = join;
		if (priority !== undefined) {
			const networksColumn = columnOf(file.text, (findPair(file.serviceNode(join.service), 'networks')?.key as Node).range?.[0] ?? 0);
			return prioritisedEntries(file.text, list, keys, priority, {networksColumn, unit: file.unit, newline: file.newline});
		}
		return keys.map((key) => {
			if (isSeq(list)) return appendToSeq(file.text, list, scalarText(key, list.flow), file.newline);
			const keyText = scalarText(key, true);
			return appendToMap(file.text, list, {block: [`${keyText}:`], flow: `${keyText}: {}`}, file.newline);
		});
	}

	/** Leaves `networks` (engine names); refuses to leave a service with none. */
	removeNetworks(serviceName: string, networks: string[]): void {
		const service = this.service(serviceName);
		refuseSharedNamespace(service, 'detach it');
		const file = this.file(service.file);
		const keys = new Set(networks.flatMap((network) => this.keysFor(file, network)));
		const current = networkKeysOf(file, service.name);
		if (current.every((key) => !keys.has(key))) return;
		if (current.every((key) => keys.has(key))) {
			throw new NetmigrateError(`service ${service.name} would be left on no network`, {
				where: file.where(file.serviceNode(service.name)),
				hint: 'attach it to a new network in an earlier iteration before detaching it from the last one',
				code: 'bad-input',
			});
		}
		const list = ownCollection(file, service.name, 'networks', service.networkKeys, this.notes);
		const leaving = new Set<number>();
		list.items.forEach((item, index) => {
			const key = isSeq(list) ? String(isScalar(item) ? item.value : item) : keyOf(item as Pair);
			if (keys.has(key)) leaving.add(index);
		});
		const what = `remove ${networks.join(', ')} from the networks of ${service.name}`;
		const edits = file.attempt(what, 'remove it by hand, then run the plan again', () => removeItems(file.text, list, leaving));
		file.apply(
			edits,
			(data) => {
				const own = data.services?.[service.name] as Record<string, unknown>;
				if (Array.isArray(own.networks)) own.networks = own.networks.filter((key) => !keys.has(String(key)));
				else for (const key of keys) delete (own.networks as Record<string, unknown>)[key];
			},
			what,
		);
	}

	/**
	 * Adds subnets to an allow-list variable (`KEY=a,b` in a list, `KEY: a,b` in a map, or
	 * `${KEY}` resolved in `.env`/`env_file`), deduplicated, order kept; a subnet already
	 * covered by a wider entry is not added again.
	 */
	ensureAllowList(serviceName: string, variable: string, subnets: string[]): AllowListChange {
		const service = this.service(serviceName);
		return ensureAllowList(
			{model: this.model, file: this.file(service.file), envEdits: this.envEdits, notes: this.notes},
			service,
			variable,
			subnets,
		);
	}

	/** Sets labels on a service (see compose/labels.ts), each where the service's labels are written. */
	setLabels(serviceName: string, labels: Record<string, string>): void {
		const service = this.service(serviceName);
		for (const [key, value] of Object.entries(labels)) setLabel(this.file(service.file), service.name, key, value);
	}

	/** Stops publishing the given host ports (short `127.0.0.1:8096:8096` or long `published:` syntax). */
	removePorts(serviceName: string, hostPorts: string[]): void {
		const service = this.service(serviceName);
		removePublishedPorts(this.file(service.file), service, hostPorts, this.model.variables);
	}

	/** The new text of every file the edits touched. */
	changes(): FileChange[] {
		const changes: FileChange[] = [];
		for (const file of this.files.values()) {
			if (file.text !== file.compose.text)
				changes.push({path: file.path, kind: 'compose', before: file.compose.text, after: file.text, mode: file.compose.mode});
		}
		for (const [path, edited] of this.envEdits) {
			if (edited.text !== edited.file.text)
				changes.push({path, kind: 'env', before: edited.file.text, after: edited.text, mode: edited.mode});
		}
		return changes;
	}

	/**
	 * How `network` is known in the file: the key of an existing external declaration, or a
	 * new one to declare `external: true` (compose refuses pre-created networks otherwise).
	 */
	private declaration(file: EditableFile, network: string): {key: string; declare: boolean} {
		const existing = this.keysFor(file, network)[0];
		if (existing === undefined) return {key: network, declare: true};
		const declaration = this.model.networks.get(file.path)?.get(existing);
		if (declaration && !declaration.external && existing !== 'default') {
			const top = file.document().get('networks', true) as YAMLMap;
			throw file.refusal(
				`network ${network} is declared in this file as managed by compose, but netmigrate creates it outside compose`,
				findPair(top, existing)?.key as Node,
				`declare it \`external: true\` (with \`name: ${network}\`), or let netmigrate do it by removing this declaration`,
			);
		}
		return {key: existing, declare: false};
	}

	/** One edit declaring `networks` external at the top level, after the declarations already there. */
	private declarationEdits(file: EditableFile, networks: string[]): TextEdit[] {
		if (networks.length === 0) return [];
		const pad = ' '.repeat(file.unit);
		const block = networks.flatMap((network) => [
			`${scalarText(network)}:`,
			`${pad}name: ${scalarText(network)}`,
			`${pad}external: true`,
		]);
		const flow = networks
			.map((network) => `${scalarText(network, true)}: {name: ${scalarText(network, true)}, external: true}`)
			.join(', ');
		const document = file.document();
		const top = document.get('networks', true);
		if (isMap(top) && (top.items.length > 0 || top.flow)) return [appendToMap(file.text, top, {block, flow}, file.newline)];
		const pair = findPair(document.contents as YAMLMap, 'networks');
		if (pair)
			return [
				insertLinesAfter(
					file.text,
					(pair.key as Node).range?.[1] ?? 0,
					block.map((line) => pad + line),
					file.newline,
				),
			];
		return [insertLinesAfter(file.text, file.text.length, ['networks:', ...block.map((line) => pad + line)], file.newline)];
	}

	/** Keys of the file's top-level networks that resolve to the engine name `network`, or the name itself if undeclared. */
	private keysFor(file: EditableFile, network: string): string[] {
		const keys: string[] = [];
		for (const [key, declaration] of this.model.networks.get(file.path) ?? [])
			if (declaration.name === network || key === network) keys.push(key);
		const added = (file.data().networks ?? {})[network];
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
		if (!service)
			throw new NetmigrateError(`no service named ${name} in the compose project`, {
				code: 'bad-input',
				hint: `known services: ${[...this.model.services.keys()].join(', ')}`,
			});
		return service;
	}

	private file(path: string): EditableFile {
		let file = this.files.get(path);
		if (!file) {
			file = new EditableFile(this.model.files.get(path) as NonNullable<ReturnType<ComposeModel['files']['get']>>);
			this.files.set(path, file);
		}
		return file;
	}
}
