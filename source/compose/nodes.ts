/**
 * Edits of YAML nodes expressed as text splices: append an item to a sequence, a key to a
 * map, remove items, extend a scalar, copy a node's source text elsewhere. Each keeps the
 * style it finds: a block sequence gets a line at its own dash column (compact or
 * indented), a flow collection is edited inside its brackets, a quoted scalar stays quoted.
 * A shape these cannot edit exactly raises `EditRefused`; the editor turns it into an
 * error naming the file and line.
 */
import {
	isAlias,
	isCollection,
	isMap,
	isPair,
	isScalar,
	isSeq,
	visit,
	type Document,
	type Node,
	type Pair,
	type Scalar,
	type YAMLMap,
	type YAMLSeq,
} from 'yaml';
import {afterLine, columnOf, insertLinesAfter, lineStartOf, shiftedLines, startsItsLine, type TextEdit} from './text.js';

export class EditRefused extends Error {
	constructor(
		message: string,
		readonly offset: number,
	) {
		super(message);
	}
}

export type Collection = YAMLMap | YAMLSeq;

/** A map key as written; a merge key (the parser's `Symbol(<<)`) is `<<`. */
export function keyOf(pair: Pair): string {
	if (isScalar(pair.key) && typeof pair.key.value === 'symbol') return pair.key.source ?? '<<';
	return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/**
 * A scalar's value as written: the source text of a plain scalar (`002` stays `002`,
 * where the parsed value would be 2), the value of a quoted or block one.
 */
export function writtenValue(text: string, scalar: Scalar): string {
	if (scalar.value === null || scalar.value === undefined) return '';
	const source = scalar.type === 'PLAIN' && scalar.range ? text.slice(scalar.range[0], scalar.range[1]) : undefined;
	// A plain scalar over several lines is folded by the reader: its value is what counts.
	if (source !== undefined && !source.includes('\n')) return source;
	return String(scalar.value);
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
	return map.items.find((pair) => keyOf(pair) === key) as Pair | undefined;
}

function isEmptyScalar(node: unknown): boolean {
	return isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

/** Offset just after the last character a node's content uses (trailing comments excluded). */
export function contentEnd(node: Node | Pair): number {
	if (isPair(node)) {
		const value = node.value as Node | null;
		if (value === null || isEmptyScalar(value)) return (node.key as Node).range?.[1] ?? 0;
		return contentEnd(value);
	}
	if (isCollection(node) && !node.flow && node.items.length > 0) return contentEnd(node.items.at(-1) as Node | Pair);
	return node.range?.[1] ?? 0;
}

/** Offset where an item or pair starts (its key, or its value after the `- `). */
export function startOf(item: Node | Pair): number {
	return (isPair(item) ? (item.key as Node).range?.[0] : item.range?.[0]) ?? 0;
}

/** The column the items of a block collection start at: the dash of a sequence, the first key of a map. */
function itemColumn(text: string, collection: Collection): number {
	const first = collection.items[0] as Node | Pair | undefined;
	if (!first) throw new EditRefused('an empty block collection has no column to follow', collection.range?.[0] ?? 0);
	const start = startOf(first);
	if (isSeq(collection)) {
		const dash = text.lastIndexOf('-', start);
		if (!startsItsLine(text, dash)) throw new EditRefused('a sequence item that does not start its own line', start);
		return columnOf(text, dash);
	}
	if (!startsItsLine(text, start)) throw new EditRefused('a map key that does not start its own line', start);
	return columnOf(text, start);
}

/** Appends `item` (YAML text of one scalar) to a sequence, in its own style. */
export function appendToSeq(text: string, seq: YAMLSeq, item: string, newline: string): TextEdit {
	if (seq.flow) return appendInFlow(seq, item);
	const column = itemColumn(text, seq);
	return insertLinesAfter(text, contentEnd(seq), [`${' '.repeat(column)}- ${item}`], newline);
}

/**
 * Appends an entry to a map: `block` are its lines relative to the map's column (the first
 * is `key: …`), `flow` its text inside braces.
 */
export function appendToMap(text: string, map: YAMLMap, entry: {block: string[]; flow: string}, newline: string): TextEdit {
	if (map.flow) return appendInFlow(map, entry.flow);
	const indent = ' '.repeat(itemColumn(text, map));
	return insertLinesAfter(
		text,
		contentEnd(map),
		entry.block.map((line) => (line === '' ? line : indent + line)),
		newline,
	);
}

function appendInFlow(collection: Collection, item: string): TextEdit {
	const last = collection.items.at(-1) as Node | Pair | undefined;
	if (last) {
		const at = contentEnd(last);
		return {start: at, end: at, insert: `, ${item}`};
	}
	const at = (collection.range?.[0] ?? 0) + 1;
	return {start: at, end: at, insert: item};
}

/** Removes the items at `indexes`: whole lines in block style, the entries inside the brackets in flow style. */
export function removeItems(text: string, collection: Collection, indexes: Set<number>): TextEdit[] {
	const items = collection.items as Array<Node | Pair>;
	if (collection.flow) {
		const open = (collection.range?.[0] ?? 0) + 1;
		const close = (collection.range?.[1] ?? 0) - 1;
		const inside = text.slice(open, close);
		if (inside.includes('#') || inside.includes('\n'))
			throw new EditRefused('a flow collection spread over lines or holding comments', open);
		const separator = /,\s/.test(inside) || items.length < 2 ? ', ' : ',';
		const kept = items.filter((_item, index) => !indexes.has(index)).map((item) => text.slice(startOf(item), contentEnd(item)));
		const first = items[0] as Node | Pair;
		const last = items.at(-1) as Node | Pair;
		return [{start: startOf(first), end: contentEnd(last), insert: kept.join(separator)}];
	}
	return [...indexes].map((index) => {
		const item = items[index] as Node | Pair;
		const start = startOf(item);
		const marker = isSeq(collection) ? '-' : '';
		if (!startsItsLine(text, start, marker)) throw new EditRefused('an entry that shares its line with another', start);
		return {start: lineStartOf(text, start), end: afterLine(text, contentEnd(item)).offset, insert: ''};
	});
}

/** Removes a key and its value from a map. */
export function removePair(text: string, map: YAMLMap, key: string): TextEdit[] {
	const index = map.items.findIndex((pair) => keyOf(pair as Pair) === key);
	return index < 0 ? [] : removeItems(text, map, new Set([index]));
}

/**
 * Extends a scalar's value by `suffix`, inserted where its content ends so its style
 * (plain, quoted, block with its chomping) is kept. An empty or `~` value gets `whole` written.
 */
export function appendToScalar(text: string, scalar: Scalar, suffix: string, whole: string): TextEdit {
	const [start, end] = [scalar.range?.[0] ?? 0, scalar.range?.[1] ?? 0];
	if (start === end) return {start, end, insert: ` ${whole}`};
	if (scalar.value === null) return {start, end, insert: whole};
	switch (scalar.type) {
		case 'QUOTE_DOUBLE':
			return {start: end - 1, end: end - 1, insert: JSON.stringify(suffix).slice(1, -1)};
		case 'QUOTE_SINGLE':
			return {start: end - 1, end: end - 1, insert: suffix.replace(/'/g, "''")};
		case 'BLOCK_LITERAL':
		case 'BLOCK_FOLDED': {
			let at = end;
			while (at > start && /\s/.test(text[at - 1] as string)) at--;
			return {start: at, end: at, insert: suffix};
		}
		default:
			return {start: end, end, insert: suffix};
	}
}

/**
 * The source text of a node for writing it under a new key: one inline text (flow
 * collections, scalars, aliases) or block lines re-indented to `column`. Anchors inside
 * are refused: a second `&name` would redefine what later aliases point at.
 */
export function copyOf(text: string, node: Node, column: number): {inline: string} | {lines: string[]} {
	visit(node, {
		Node(_key, inner) {
			if (inner.anchor && inner !== node)
				throw new EditRefused(
					`the value holds the anchor &${inner.anchor}, which a copy would define twice`,
					inner.range?.[0] ?? 0,
				);
		},
	});
	const [start, end] = [node.range?.[0] ?? 0, contentEnd(node)];
	if (!isCollection(node) || node.flow || node.items.length === 0) {
		if (text.slice(start, end).includes('\n')) throw new EditRefused('a value spread over several lines', start);
		return {inline: text.slice(start, end)};
	}
	const from = isSeq(node) ? text.lastIndexOf('-', start) : start;
	if (!startsItsLine(text, from)) throw new EditRefused('a value that does not start its own line', start);
	return {lines: shiftedLines(text, from, end, column - columnOf(text, from))};
}

/**
 * The node a map inherits for `key` through merge keys (`<<: *a` or `<<: [*a, *b]`, the
 * first source that has it winning, as compose's YAML reader does), aliases resolved.
 */
export function inheritedValue(document: Document, map: YAMLMap, key: string): Node | undefined {
	for (const pair of map.items) {
		if (keyOf(pair as Pair) !== '<<') continue;
		const value = (pair as Pair).value as Node;
		const sources = isSeq(value) ? (value.items as Node[]) : [value];
		for (const source of sources) {
			const resolved = isAlias(source) ? source.resolve(document) : source;
			if (!isMap(resolved)) continue;
			const own = findPair(resolved, key);
			if (own) return resolveAlias(document, own.value as Node);
			const deeper = inheritedValue(document, resolved, key);
			if (deeper) return deeper;
		}
	}
	return undefined;
}

export function resolveAlias(document: Document, node: Node): Node {
	return isAlias(node) ? ((node.resolve(document) as Node | undefined) ?? node) : node;
}
