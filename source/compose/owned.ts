/**
 * A service's own `networks:` or `environment:` node, for editing. When the service has
 * it only through an alias (`networks: *shared`), a merge key (`<<: *common`) or not at
 * all (compose's implicit default network), the value is first written on the service
 * as a copy of its source text — never of its parsed value, so `UMASK: 002` stays `002`
 * — which leaves what compose reads unchanged; then the edit can touch this service alone.
 */
import {isAlias, isMap, isSeq, visit, type Document, type Node, type Pair} from 'yaml';
import type {EditableFile} from './editable.js';
import {appendToMap, copyOf, EditRefused, findPair, inheritedValue, resolveAlias, type Collection} from './nodes.js';
import {columnOf, insertLinesAfter, type TextEdit} from './text.js';

export type OwnedKey = 'networks' | 'environment';

/** The collection under `key` on the service, written out first when it was not its own. Pushes a note when it writes. */
export function ownCollection(
	file: EditableFile,
	service: string,
	key: OwnedKey,
	implicit: string[] | undefined,
	notes: string[],
): Collection {
	const document = file.document();
	const node = file.serviceNode(service);
	const pair = findPair(node, key);
	const value = pair?.value as Node | null | undefined;
	if (isSeq(value) || isMap(value)) {
		refuseSharedAnchor(file, document, value, pair as Pair, service, key);
		return value;
	}
	const source = isAlias(value) ? resolveAlias(document, value) : inheritedValue(document, node, key);
	if (isAlias(value) || source) {
		const origin = isAlias(value) ? `the alias *${value.source}` : 'a merge key (<<)';
		writeCopy(file, service, key, source as Node, isAlias(value) ? (pair as Pair) : undefined);
		notes.push(
			key === 'networks'
				? `${service}: its networks came from ${origin}; they are now written on the service so nothing else changes`
				: `${service}: its environment came from ${origin}; it is now written on the service (each value copied as written) so the services sharing it keep theirs`,
		);
	} else if (implicit) {
		writeImplicit(file, service, key, implicit);
		notes.push(
			`${service}: its networks came from compose's implicit default network; they are now written on the service so nothing else changes`,
		);
	} else {
		throw file.refusal(`service ${service} has no ${key} to edit`, node, `write \`${key}:\` on ${service} first`);
	}
	const written = file.serviceNode(service).get(key, true);
	if (!isSeq(written) && !isMap(written))
		throw file.refusal(
			`service ${service}'s ${key} is not a list or a map`,
			file.serviceNode(service),
			`write \`${key}:\` as a list or a map`,
		);
	return written;
}

function writeCopy(file: EditableFile, service: string, key: OwnedKey, source: Node, alias: Pair | undefined): void {
	const what = `write the ${key} of ${service} on the service`;
	const hint = `write \`${key}:\` on ${service} yourself (a copy of what it inherits), then run the plan again`;
	const edits = file.attempt(what, hint, (): TextEdit[] => {
		const text = file.text;
		const node = file.serviceNode(service);
		const keyColumn = alias
			? columnOf(text, (alias.key as Node).range?.[0] ?? 0)
			: columnOf(text, (node.items[0]?.key as Node).range?.[0] ?? 0);
		const copy = copyOf(text, source, keyColumn + file.unit);
		if (alias) {
			const aliasNode = alias.value as Node;
			const [start, end] = [aliasNode.range?.[0] ?? 0, aliasNode.range?.[1] ?? 0];
			if ('inline' in copy) return [{start, end, insert: copy.inline}];
			let from = start;
			while (text[from - 1] === ' ') from--;
			return [{start: from, end, insert: ''}, insertLinesAfter(text, end, copy.lines, file.newline)];
		}
		const entry =
			'inline' in copy
				? {block: [`${key}: ${copy.inline}`], flow: `${key}: ${copy.inline}`}
				: {block: [`${key}:`, ...copy.lines.map((line) => line.slice(keyColumn))], flow: ''};
		if (node.flow && !entry.flow) throw new EditRefused(`${service} is written in flow style`, node.range?.[0] ?? 0);
		return [appendToMap(text, node, entry, file.newline)];
	});
	// The service reads exactly as before: the copy replaces what it inherited.
	file.apply(edits, () => undefined, what);
}

function writeImplicit(file: EditableFile, service: string, key: OwnedKey, items: string[]): void {
	const what = `write the ${key} of ${service} on the service`;
	const edits = file.attempt(what, `write \`${key}:\` on ${service} yourself, then run the plan again`, () => {
		const node = file.serviceNode(service);
		const pad = ' '.repeat(file.unit);
		return [
			appendToMap(
				file.text,
				node,
				{block: [`${key}:`, ...items.map((item) => `${pad}- ${item}`)], flow: `${key}: [${items.join(', ')}]`},
				file.newline,
			),
		];
	});
	file.apply(
		edits,
		(data) => {
			const target = data.services?.[service];
			if (target) target[key] = [...items];
		},
		what,
	);
}

/** Editing an anchored node changes every alias of it, i.e. other services. */
function refuseSharedAnchor(file: EditableFile, document: Document, node: Collection, pair: Pair, service: string, what: string): void {
	const anchor = node.anchor;
	if (!anchor) return;
	let reused = false;
	visit(document, {
		Alias(_key, alias) {
			if (alias.source === anchor) reused = true;
		},
	});
	if (!reused) return;
	throw file.refusal(
		`the ${what} of ${service} are the anchor &${anchor}, reused by other services; changing them here would change those too`,
		pair.key as Node,
		`move &${anchor} to an \`x-\` key and refer to it from ${service} with an alias, or give ${service} its own ${what}`,
	);
}
