/**
 * A service's new networks with `gw_priority` (Compose 2.33+, Engine 28+): the engine gives a
 * container's default route to the network with the highest priority (0 unless set), then to
 * the name that sorts first. Joining `dmz-net` with priority -1 leaves the route on the legacy
 * network, so a later `docker compose up` keeps the egress a live connect kept. Only the map
 * form carries per-network settings: a list (`- media-network`) is rewritten as a map, entry by
 * entry in place, comments kept; the new entries are one line each, `dmz-net: {gw_priority: -1}`.
 */
import {isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq} from 'yaml';
import {contentEnd, EditRefused, startOf} from './nodes.js';
import {columnOf, insertLinesAfter, lineStartOf, scalarText, startsItsLine, type TextEdit} from './text.js';

/** Edits that add `keys` with `gw_priority` to a service's `networks` (list or map), and the data they mean. */
export function prioritisedEntries(
	text: string,
	list: YAMLMap | YAMLSeq,
	keys: string[],
	priority: number,
	layout: {networksColumn: number; unit: number; newline: string},
): TextEdit[] {
	const entry = (key: string) => `${scalarText(key, true)}: {gw_priority: ${priority}}`;
	if (list.flow) {
		const [start, end] = [list.range?.[0] ?? 0, list.range?.[1] ?? 0];
		const close = text.lastIndexOf(isSeq(list) ? ']' : '}', end);
		const existing = isSeq(list)
			? seqKeys(list).map((key) => `${scalarText(key, true)}: {}`)
			: [text.slice(start + 1, close).trim()].filter(Boolean);
		return [{start, end: close + 1, insert: `{${[...existing, ...keys.map(entry)].join(', ')}}`}];
	}
	if (!isSeq(list)) {
		const column = columnOf(text, startOf(list.items[0] as Pair));
		return [
			insertLinesAfter(
				text,
				contentEnd(list),
				keys.map((key) => ' '.repeat(column) + entry(key)),
				layout.newline,
			),
		];
	}
	// A compact list (`- a` under `networks:` at its own column) needs one more indent as a map.
	const dash = dashColumn(text, list);
	const column = dash > layout.networksColumn ? dash : layout.networksColumn + layout.unit;
	const rewritten: TextEdit[] = (list.items as Node[]).map((item) => {
		const line = lineStartOf(text, startOf(item));
		return {
			start: line,
			end: item.range?.[1] ?? 0,
			insert: `${' '.repeat(column)}${scalarText(String((item as {value: unknown}).value), true)}: {}`,
		};
	});
	return [
		...rewritten,
		insertLinesAfter(
			text,
			contentEnd(list),
			keys.map((key) => ' '.repeat(column) + entry(key)),
			layout.newline,
		),
	];
}

/** The data the edits mean: the networks as a map, the new keys with their priority. */
export function prioritisedData(networks: unknown, keys: string[], priority: number): Record<string, unknown> {
	const map: Record<string, unknown> = Array.isArray(networks)
		? Object.fromEntries(networks.map((key) => [String(key), {}]))
		: {...(networks as Record<string, unknown>)};
	for (const key of keys) map[key] = {gw_priority: priority};
	return map;
}

function seqKeys(seq: YAMLSeq): string[] {
	return (seq.items as Node[]).map((item) => {
		if (!isScalar(item)) throw new EditRefused('a networks entry that is not a plain name', item.range?.[0] ?? 0);
		return String(item.value);
	});
}

function dashColumn(text: string, seq: YAMLSeq): number {
	seqKeys(seq);
	const first = seq.items[0] as Node | undefined;
	if (!first) throw new EditRefused('an empty networks list', seq.range?.[0] ?? 0);
	const dash = text.lastIndexOf('-', startOf(first));
	if (!startsItsLine(text, dash)) throw new EditRefused('a networks entry that does not start its own line', startOf(first));
	for (const item of seq.items as Node[]) {
		if (!startsItsLine(text, text.lastIndexOf('-', startOf(item))))
			throw new EditRefused('a networks entry that does not start its own line', startOf(item));
	}
	return columnOf(text, dash);
}
